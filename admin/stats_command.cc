// jormun-admin stats [TABLE]: each table's engine, items and sizes, from
// DescribeTable (its figures are at most five seconds old), and the engine
// and its statistics from /metrics (jormun_table_engine and
// jormun_engine_*), since DynamoDB's answers have no member for them.
#include <cstdio>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "admin/commands.h"
#include "admin/json_text.h"
#include "admin/table_info.h"

namespace jormun::admin {
namespace {

// The value of label `name` in a Prometheus sample line, unescaped.
std::string label_value(std::string_view line, std::string_view name) {
  const std::string key = std::string(name) + "=\"";
  for (size_t at = line.find(key); at != std::string_view::npos; at = line.find(key, at + 1)) {
    if (at > 0 && line[at - 1] != '{' && line[at - 1] != ',') continue;
    std::string value;
    for (size_t i = at + key.size(); i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        ++i;
        value += line[i] == 'n' ? '\n' : line[i];
      } else {
        value += line[i];
      }
    }
    return value;
  }
  return "";
}

// What /metrics says of one table.
struct EngineFacts {
  std::string engine;
  std::vector<std::pair<std::string, std::string>> stats;  // statistic, value
};

// Table name -> its engine facts, from the server's metrics; empty when it
// has none.
std::map<std::string, EngineFacts> engine_facts(Client& client) {
  std::map<std::string, EngineFacts> out;
  std::string text;
  try {
    text = client.get("/metrics");
  } catch (const ApiFailure&) {
    return out;  // metrics turned off (server.metrics), or not jormundb: engines unknown
  }
  constexpr std::string_view kEngine = "jormun_table_engine{";
  constexpr std::string_view kStat = "jormun_engine_";
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.starts_with(kEngine)) {
      out[label_value(line, "table")].engine = label_value(line, "engine");
      continue;
    }
    const size_t brace = line.find('{');
    const size_t value = line.rfind(' ');
    if (!line.starts_with(kStat) || brace == std::string_view::npos ||
        value == std::string_view::npos || value < brace)
      continue;
    out[label_value(line, "table")].stats.emplace_back(
        line.substr(kStat.size(), brace - kStat.size()), line.substr(value + 1));
  }
  return out;
}

std::vector<std::string> list_tables(Client& client) {
  std::vector<std::string> names;
  std::string start;
  do {
    rapidjson::Document page = client.call(
        "ListTables", start.empty() ? "{}" : "{\"ExclusiveStartTableName\":" + start + "}");
    if (auto list = page.FindMember("TableNames");
        list != page.MemberEnd() && list->value.IsArray())
      for (const auto& n : list->value.GetArray()) names.emplace_back(n.GetString());
    auto last = page.FindMember("LastEvaluatedTableName");
    start = last != page.MemberEnd() ? json_text(last->value) : "";
  } while (!start.empty());
  return names;
}

std::string bytes_text(long long bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

int run_stats(const CommonOptions& common, const StatsOptions& options) {
  Client client(common.endpoint);
  const std::map<std::string, EngineFacts> facts = engine_facts(client);
  std::vector<std::string> names =
      options.table ? std::vector<std::string>{*options.table} : list_tables(client);
  std::printf("%-32s %-10s %-10s %12s %12s\n", "TABLE", "ENGINE", "STATUS", "ITEMS", "SIZE");
  for (const auto& name : names) {
    std::optional<TableInfo> t = describe_table(client, name);
    if (!t) {
      if (options.table) {
        std::fprintf(stderr, "jormun-admin stats: table %s does not exist\n", name.c_str());
        return 1;
      }
      continue;  // deleted since it was listed
    }
    auto known = facts.find(name);
    const EngineFacts* f = known != facts.end() ? &known->second : nullptr;
    std::printf("%-32s %-10s %-10s %12lld %12s\n", name.c_str(),
                f && !f->engine.empty() ? f->engine.c_str() : "?", t->status.c_str(),
                t->item_count, bytes_text(t->size_bytes).c_str());
    for (const auto& ix : t->indexes)
      std::printf("  index %-24s %-10s %-10s %12lld %12s\n", ix.name.c_str(),
                  ix.global ? "global" : "local", ix.status.c_str(), ix.item_count,
                  bytes_text(ix.size_bytes).c_str());
    // The server reports them only while the table's instance is open (a
    // scrape does not open an idle table).
    if (f)
      for (const auto& [stat, value] : f->stats)
        std::printf("  engine %-39s %12s\n", stat.c_str(), value.c_str());
  }
  return 0;
}

}  // namespace jormun::admin
