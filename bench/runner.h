// Drives a workload over N keep-alive connections and measures it.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "histogram.h"
#include "items.h"
#include "workload.h"

namespace jormun::bench {

struct RunOptions {
  boost::asio::ip::tcp::endpoint endpoint;
  unsigned connections = 64;
  // Threads driving the connections, each with its own io_context.
  unsigned threads = 1;
  // Operations start only before this much time has passed; 0: no limit.
  std::chrono::nanoseconds duration{0};
  // Operations to start in all; 0: no limit. With neither limit the run
  // lasts until the workload has nothing left (a preload).
  uint64_t operations = 0;
  // 0: closed loop, each connection starts an operation as soon as the
  // previous one is answered. Otherwise open loop: operations are due on a
  // fixed timetable of `rate` per second in all, and latency is measured
  // from when an operation was due, not from when it could be sent, so a
  // stalled server is charged for every operation it delayed (no
  // coordinated omission).
  double rate = 0;
  uint64_t seed = 1;
};

// What a run measured.
struct RunStats {
  // Latency in nanoseconds of every correctly answered operation.
  Histogram all;
  std::array<Histogram, kOpKinds> by_kind;
  // Operations that failed: an answer other than HTTP 200, or a network error.
  uint64_t errors = 0;
  // How many of each error: the DynamoDB error type, "HTTP <status>" or
  // "network: <reason>".
  std::map<std::string, uint64_t> error_kinds;
  // HTTP 200 answers that were wrong, and the first few reasons why.
  uint64_t wrong = 0;
  std::vector<std::string> wrong_examples;
  // Set when the server answered UnknownOperationException: the operation.
  // The run stops at once.
  std::optional<std::string> unsupported;
  // From the start to the last answer.
  double seconds = 0;

  // Adds the figures of another thread of the same run; `unsupported` is
  // the run's own and is left alone.
  void merge(const RunStats& other);
};

// Runs `workload` to the end of `options`' limits and returns what was
// measured; `items` seeds the sessions' request builders.
RunStats run(const RunOptions& options, Workload& workload, const ItemSet& items);

}  // namespace jormun::bench
