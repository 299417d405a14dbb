// Measures how fast a server process answers its first request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jormun::bench {

struct StartupMeasure {
  double milliseconds = 0;   // from spawning the process to its first answer
  uint64_t resident_kb = 0;  // its VmRSS right after that answer
};

// Spawns `command` (argv; every "{port}" in it replaced by a free port on
// 127.0.0.1), sends ListTables to that port until one is answered with
// HTTP 200, then stops the process with SIGTERM. nullopt, with the reason in
// `problem`, if it exits or stays silent for 30 s. The process's output goes
// to `log_path` (or /dev/null when empty).
std::optional<StartupMeasure> measure_startup(std::vector<std::string> command,
                                              const std::string& log_path,
                                              std::string& problem);

}  // namespace jormun::bench
