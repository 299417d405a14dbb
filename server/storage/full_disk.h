// Writes an engine refuses because its disk (or a size limit) is full.
//
// Such a write is not applied, so the client gets a 500 InternalServerError
// whose message says the disk is full (DynamoDB has no error for this; an
// SDK retries a 500). Reads go on as before, and writes resume by themselves
// once the engine has room again: nothing here blocks a later write.
//
// The log gets one line ("disk full") when a table's writes start being
// refused and one when they succeed again (the service adds its line for
// every 500). Every refusal is counted process-wide: that count
// is the metric, quoted in those lines until the server has a metrics
// endpoint.
#pragma once

#include <atomic>
#include <cstdint>
#include <jormun/engine.hpp>
#include <string_view>

namespace jormun::storage {

// The message of the 500 a refused write gets.
inline constexpr std::string_view kDiskFullMessage =
    "Internal server error: disk full, the write was not applied";

// One table's state. Thread-safe.
class FullDisk {
 public:
  // Writes refused for a full disk since the process started, all tables.
  static uint64_t refusals();

  // Counts `error` (a JORMUN_NO_SPACE from a write to `table`), logs it when
  // it starts a run of refusals, and throws the ApiError the client gets.
  [[noreturn]] void refuse(std::string_view table, const host::EngineError& error);
  // Called after every successful write: logs the end of a run of refusals.
  void written(std::string_view table) noexcept {
    if (full_.load(std::memory_order_relaxed)) resumed(table);
  }

 private:
  void resumed(std::string_view table) noexcept;
  std::atomic<bool> full_{false};
  std::atomic<uint64_t> run_{0};  // refusals since the last successful write
};

}  // namespace jormun::storage
