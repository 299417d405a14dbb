#include "http/body_budget.h"

namespace jormun::http {

bool BodyBudget::try_reserve(std::size_t bytes) {
  std::size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (bytes > capacity_ - used) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return true;
}

void BodyBudget::release(std::size_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
}

}  // namespace jormun::http
