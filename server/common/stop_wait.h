// The pause of a background thread (sweeper, trimmer, checkpointer,
// backfill), which a stop request ends at once so that shutdown never waits
// out an interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace jormun {

// Waits `d`, or less when `stop` is requested; false when stopped.
inline bool pause_unless_stopped(std::chrono::steady_clock::duration d, std::stop_token stop) {
  std::mutex mu;
  std::unique_lock lock(mu);
  std::condition_variable_any().wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace jormun
