// jormun-bench: loads a DynamoDB-compatible server and reports what it measured.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <fstream>
#include <iostream>

#include "options.h"
#include "preload.h"
#include "report.h"
#include "runner.h"
#include "setup_calls.h"
#include "startup_probe.h"
#include "workloads.h"

namespace {

using namespace jormun::bench;
namespace asio = boost::asio;

constexpr int kExitFailed = 1;
constexpr int kExitUnsupported = 2;
constexpr int kExitUsage = 64;
constexpr int kExitSetup = 69;

// JSON lines go to stdout and the --json-out file, summaries to stderr, so
// a pipe or a file collects the data alone.
void emit(const Options& options, const std::string& line) {
  std::cout << line << std::endl;
  if (!options.json_out.empty())
    std::ofstream(options.json_out, std::ios::app) << line << '\n';
}

void publish(const Options& options, const std::string& workload, const RunStats& stats) {
  std::cerr << summary(options, workload, stats);
  emit(options, json_line(options, workload, stats));
}

int exit_code(const RunStats& stats) {
  if (stats.unsupported) return kExitUnsupported;
  return stats.errors || stats.wrong ? kExitFailed : 0;
}

int probe_startup(const Options& options) {
  std::string problem;
  const auto measure =
      measure_startup(options.startup_command, options.startup_log, problem);
  if (!measure) {
    std::cerr << "jormun-bench: " << problem << "\n";
    return kExitSetup;
  }
  std::cerr << "startup: first answer after " << measure->milliseconds << " ms, RSS "
            << measure->resident_kb << " kB\n";
  emit(options, startup_json_line(options, *measure));
  return 0;
}

asio::ip::tcp::endpoint resolve(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("endpoint must be HOST:PORT");
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  return *resolver.resolve(endpoint.substr(0, colon), endpoint.substr(colon + 1)).begin();
}

int bench(const Options& options) {
  RunOptions run_options;
  run_options.endpoint = resolve(options.endpoint);
  run_options.connections = options.connections;
  run_options.threads = options.threads;
  run_options.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(options.seconds));
  run_options.operations = options.operations;
  run_options.rate = options.rate;
  run_options.seed = options.seed;

  ItemSet items(options.item_size, options.seed);
  items.expires_at = options.expires_at;
  const auto shape = table_shape_of(options.workload);
  WorkloadSettings settings;
  settings.tables = options.tables;
  if (settings.tables.empty())
    settings.tables.push_back(shape == TableShape::ranged ? "bench_ranged" : "bench");
  settings.keys = options.keys;
  settings.distribution = options.distribution;
  settings.items = &items;
  if (shape == TableShape::kv ? settings.keys < 25 : settings.keys < kItemsPerPartition) {
    std::cerr << "jormun-bench: --keys is too small for a batch or a partition\n";
    return kExitUsage;
  }

  std::string problem;
  for (const auto& table : settings.tables) {
    if (shape && options.create &&
        !ensure_table(run_options.endpoint, table, *shape, problem)) {
      std::cerr << "jormun-bench: " << problem << "\n";
      return kExitSetup;
    }
  }
  int code = 0;
  for (const auto& table : settings.tables) {
    if (!shape || !options.preload) break;
    Preload preload(table, *shape, options.keys, options.item_size);
    RunOptions load_options = run_options;
    load_options.duration = {};
    load_options.operations = 0;
    load_options.rate = 0;
    const RunStats stats = run(load_options, preload, items);
    publish(options, "preload", stats);
    if ((code = exit_code(stats)) != 0) return kExitSetup;
  }
  if (options.seconds > 0 || options.operations > 0) {
    auto workload = make_workload(options.workload, settings);
    const RunStats stats = run(run_options, *workload, items);
    publish(options, options.workload, stats);
    code = exit_code(stats);
  }
  for (const auto& table : settings.tables) {
    if (shape && options.drop && !drop_table(run_options.endpoint, table, problem)) {
      std::cerr << "jormun-bench: " << problem << "\n";
      return code ? code : kExitSetup;
    }
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::string problem;
  const auto options = parse_options(argc, argv, problem);
  if (!options) {
    if (problem.empty()) {
      std::cout << usage();
      return 0;
    }
    std::cerr << "jormun-bench: " << problem << "\n\n" << usage();
    return kExitUsage;
  }
  try {
    return options->startup_command.empty() ? bench(*options) : probe_startup(*options);
  } catch (const std::exception& e) {
    std::cerr << "jormun-bench: " << e.what() << "\n";
    return kExitSetup;
  }
}
