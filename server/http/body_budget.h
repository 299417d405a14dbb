// A server-wide cap on the request body bytes held in memory at once
// (server.max_inflight_body_mb), so many large requests arriving together
// cannot exhaust memory: the ones that do not fit are refused, not queued.
#pragma once

#include <atomic>
#include <cstddef>

namespace jormun::http {

// Thread-safe and lock-free.
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}
  BodyBudget(const BodyBudget&) = delete;
  BodyBudget& operator=(const BodyBudget&) = delete;

  // Takes `bytes` and returns true if the total held stays within the
  // capacity; otherwise takes nothing and returns false.
  bool try_reserve(std::size_t bytes);
  // Gives back what a successful try_reserve(bytes) took.
  void release(std::size_t bytes);
  // Bytes held now.
  std::size_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> used_ = 0;
};

}  // namespace jormun::http
