#include "options.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <string_view>

#include "workloads.h"

namespace jormun::bench {

namespace {

template <typename Number>
bool parse_number(std::string_view text, Number& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string usage() {
  std::string workloads;
  for (auto name : workload_names()) (workloads += workloads.empty() ? "" : ", ") += name;
  return R"(jormun-bench: a load generator for DynamoDB-compatible servers

  jormun-bench [options]
  jormun-bench --startup-probe [--startup-log FILE] -- SERVER-COMMAND...

Run:
  --endpoint HOST:PORT    server to load (default 127.0.0.1:8000)
  --workload NAME         one of: )" +
         workloads + R"(
  --connections N         keep-alive connections (default 64)
  --threads N             threads driving them (default 1)
  --seconds S             start operations for S seconds (default 10; 0: no limit)
  --operations N          start N operations in all (default: no limit); with
                          neither limit only the table steps are done

  --rate R                open loop at R operations/s in all (default: closed loop)
Data:
  --keys N                items in the key space (default 100000)
  --item-size BYTES       size of an item (default 1024)
  --expires-at EPOCH      write a Number attribute `expires` (EPOCH, seconds)
                          into every item: a TTL attribute for a table's sweep
  --distribution D        uniform or zipfian key choice for the single-operation
                          workloads (YCSB mixes use their own; default uniform)
  --seed N                seeds keys, payloads and choices (default 1)
  --table NAME[,NAME...]  the workload's tables (default bench, or bench_ranged
                          for query, ycsb-e, get-key and select-key, which need
                          a sort key); each is
                          created, preloaded and dropped alike. transact-*
                          spread each call's items over them in turn, the
                          other workloads use the first
  --create                create the table first if it does not exist
  --preload               write all N items first (BatchWriteItem, else PutItem)
  --drop                  delete the table at the end
Output:
  --label TEXT            copied into the JSON line
  --json-out FILE         append the JSON lines to FILE as well as stdout

Startup probe: spawns the command ("{port}" replaced by a free port), reports
milliseconds until it answers ListTables and its RSS then, and stops it.

Exit status: 0 all answers right; 1 errors or wrong answers; 2 the server
does not support an operation of the workload; 64 bad usage; 69 setup failed.
)";
}

std::optional<Options> parse_options(int argc, char** argv, std::string& problem) {
  Options o;
  bool seconds_given = false;
  using Setter = std::function<bool(std::string_view)>;
  const std::map<std::string_view, Setter> with_value = {
      {"--endpoint",
       [&](auto v) {
         o.endpoint = v;
         return true;
       }},
      {"--workload",
       [&](auto v) {
         o.workload = v;
         return true;
       }},
      {"--table",
       [&](std::string_view v) {
         o.tables.clear();
         for (size_t start = 0;;) {
           const size_t comma = std::min(v.find(',', start), v.size());
           if (comma == start) return false;  // an empty name
           o.tables.emplace_back(v.substr(start, comma - start));
           if (comma == v.size()) return true;
           start = comma + 1;
         }
       }},
      {"--connections",
       [&](auto v) { return parse_number(v, o.connections) && o.connections > 0; }},
      {"--threads", [&](auto v) { return parse_number(v, o.threads) && o.threads > 0; }},
      {"--seconds",
       [&](auto v) {
         seconds_given = true;
         return parse_number(v, o.seconds) && o.seconds >= 0;
       }},
      {"--operations", [&](auto v) { return parse_number(v, o.operations); }},
      {"--rate", [&](auto v) { return parse_number(v, o.rate) && o.rate >= 0; }},
      {"--seed", [&](auto v) { return parse_number(v, o.seed); }},
      {"--keys", [&](auto v) { return parse_number(v, o.keys); }},
      {"--item-size", [&](auto v) { return parse_number(v, o.item_size); }},
      {"--expires-at",
       [&](auto v) {
         uint64_t at = 0;
         if (!parse_number(v, at)) return false;
         o.expires_at = at;
         return true;
       }},
      {"--distribution", [&](auto v) { return parse_distribution(v, o.distribution); }},
      {"--label",
       [&](auto v) {
         o.label = v;
         return true;
       }},
      {"--json-out",
       [&](auto v) {
         o.json_out = v;
         return true;
       }},
      {"--startup-log",
       [&](auto v) {
         o.startup_log = v;
         return true;
       }},
  };
  const std::map<std::string_view, bool*> flags = {
      {"--create", &o.create}, {"--preload", &o.preload}, {"--drop", &o.drop}};
  bool probe = false;

  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return std::nullopt;
    if (arg == "--startup-probe") {
      probe = true;
    } else if (arg == "--") {
      o.startup_command.assign(argv + i + 1, argv + argc);
      break;
    } else if (auto flag = flags.find(arg); flag != flags.end()) {
      *flag->second = true;
    } else if (auto option = with_value.find(arg); option != with_value.end()) {
      if (i + 1 == argc || !option->second(argv[i + 1])) {
        problem = "bad or missing value for " + std::string(arg);
        return std::nullopt;
      }
      ++i;
    } else {
      problem = "unknown argument " + std::string(arg);
      return std::nullopt;
    }
  }
  if (probe != !o.startup_command.empty()) {
    problem =
        "--startup-probe needs a command after --, and a command needs --startup-probe";
    return std::nullopt;
  }
  const auto names = workload_names();
  if (!probe && std::find(names.begin(), names.end(), o.workload) == names.end()) {
    problem =
        o.workload.empty() ? "--workload is missing" : "unknown workload " + o.workload;
    return std::nullopt;
  }
  if (o.operations > 0 && !seconds_given) o.seconds = 0;
  return o;
}

}  // namespace jormun::bench
