// Which inserted keys are known to exist, for reads of "the latest" items.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>

namespace jormun::bench {

// Hands out new item indexes in order and tracks the acknowledged prefix:
// limit() is the first index whose insert, or that of some index below it,
// is not yet answered. Reading below limit() never races an insert still in
// flight, so a missing item there is a real wrong answer (YCSB's
// acknowledged counter does the same). Thread-safe.
class InsertFrontier {
 public:
  // Indexes below `first` exist already (the preloaded ones).
  explicit InsertFrontier(uint64_t first) : next_(first), limit_(first) {}

  uint64_t claim();
  // The insert of `index` (from claim()) was answered with success.
  void acknowledge(uint64_t index);
  uint64_t limit() const { return limit_.load(std::memory_order_acquire); }

 private:
  std::mutex mutex_;
  uint64_t next_;
  std::set<uint64_t> acknowledged_above_limit_;
  std::atomic<uint64_t> limit_;
};

}  // namespace jormun::bench
