#include "insert_frontier.h"

namespace jormun::bench {

uint64_t InsertFrontier::claim() {
  std::lock_guard lock(mutex_);
  return next_++;
}

void InsertFrontier::acknowledge(uint64_t index) {
  std::lock_guard lock(mutex_);
  acknowledged_above_limit_.insert(index);
  uint64_t limit = limit_.load(std::memory_order_relaxed);
  while (!acknowledged_above_limit_.empty() &&
         *acknowledged_above_limit_.begin() == limit) {
    acknowledged_above_limit_.erase(acknowledged_above_limit_.begin());
    ++limit;
  }
  limit_.store(limit, std::memory_order_release);
}

}  // namespace jormun::bench
