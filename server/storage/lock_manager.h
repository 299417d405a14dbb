// Per-item locks: every write holds its item's stripe from stage to commit
// (storage/write_set.h), so a read-modify-write (conditions, UpdateItem,
// ReturnValues, index maintenance) is atomic against all other writes to the
// item, and a transaction's items stay put until it commits. Striped: a key
// hashes to one of a fixed set of mutexes, so there is no global lock and no
// per-key allocation. Two keys may share a stripe; that costs only
// concurrency, never safety. Waits are bounded: a holder stuck behind a slow
// disk makes others give up (a transaction conflict), not queue forever.
// The stripes (160 KB) are made at the first lock: a server of thousands of
// tables pays only for those written in its run.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace jormun::storage {

class LockManager {
 public:
  static constexpr size_t kStripes = 4096;

  // Holds one stripe; releases it when destroyed.
  class Guard {
   public:
    Guard(Guard&& o) noexcept : m_(o.m_), stripe_(o.stripe_) { o.m_ = nullptr; }
    Guard& operator=(Guard&&) = delete;
    ~Guard();

   private:
    friend class LockManager;
    Guard(LockManager* m, size_t stripe) : m_(m), stripe_(stripe) {}
    LockManager* m_;
    size_t stripe_;
  };

  // The stripe `key` hashes to. A holder of several keys takes their stripes
  // in ascending order, each once, so that holders cannot deadlock.
  static size_t stripe(std::string_view key);
  // Deadlines are on the system clock: the library turns such a wait into
  // pthread_mutex_timedlock, which ThreadSanitizer understands (a
  // steady_clock wait becomes pthread_mutex_clocklock, which it does not
  // intercept, and then every lock looks unheld to it). A wall-clock jump
  // can stretch or cut one wait by the jump, never make it endless.
  using Deadline = std::chrono::system_clock::time_point;

  // Waits for stripe `s` (< kStripes) until `deadline` and holds it;
  // nullopt when the deadline passed first.
  std::optional<Guard> lock_stripe(size_t s, Deadline deadline);

 private:
  using Stripes = std::array<std::timed_mutex, kStripes>;
  std::once_flag made_;
  std::unique_ptr<Stripes> stripes_;  // set once, under made_
};

}  // namespace jormun::storage
