// How a run is reported: one JSON line for programs, a summary for people.
#pragma once

#include <string>

#include "options.h"
#include "runner.h"
#include "startup_probe.h"

namespace jormun::bench {

// "ok", "failed" (errors or wrong answers) or "unsupported".
std::string status_of(const RunStats& stats);

// One line of JSON (no newline) describing the run `workload` made with
// `options` and everything it measured; latencies in microseconds.
std::string json_line(const Options& options, const std::string& workload,
                      const RunStats& stats);

// The JSON line of a --startup-probe measurement.
std::string startup_json_line(const Options& options, const StartupMeasure& measure);

// A few lines of text saying the same.
std::string summary(const Options& options, const std::string& workload,
                    const RunStats& stats);

}  // namespace jormun::bench
