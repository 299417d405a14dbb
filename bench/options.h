// The command line of jormun-bench.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "key_picker.h"

namespace jormun::bench {

struct Options {
  std::string endpoint = "127.0.0.1:8000";
  std::string workload;
  // --table's comma-separated names; empty: "bench", or "bench_ranged" for
  // ranged workloads.
  std::vector<std::string> tables;
  unsigned connections = 64;
  unsigned threads = 1;
  // With neither limit, only the table steps (create, preload, drop) run.
  double seconds = 10;      // 0: no time limit
  uint64_t operations = 0;  // 0: no count limit
  double rate = 0;          // operations per second, open loop; 0: closed loop
  uint64_t seed = 1;
  uint64_t keys = 100000;
  size_t item_size = 1024;
  std::optional<uint64_t> expires_at;  // --expires-at: see ItemSet::expires_at
  Distribution distribution = Distribution::uniform;
  bool create = false;
  bool preload = false;
  bool drop = false;
  std::string label;     // copied into the JSON line, to tell runs apart
  std::string json_out;  // also append the JSON lines to this file
  // --startup-probe: the server command line after "--".
  std::vector<std::string> startup_command;
  std::string startup_log;
};

// nullopt with the reason in `problem` on a bad command line; with
// `problem` empty when --help was asked for.
std::optional<Options> parse_options(int argc, char** argv, std::string& problem);
std::string usage();

}  // namespace jormun::bench
