#include "storage/lock_manager.h"

#include <functional>

namespace jormun::storage {

size_t LockManager::stripe(std::string_view key) {
  return std::hash<std::string_view>{}(key) % kStripes;
}

LockManager::Guard::~Guard() {
  if (m_) (*m_->stripes_)[stripe_].unlock();
}

std::optional<LockManager::Guard> LockManager::lock_stripe(
    size_t s, Deadline deadline) {
  std::call_once(made_, [this] { stripes_ = std::make_unique<Stripes>(); });
  if (!(*stripes_)[s].try_lock_until(deadline)) return std::nullopt;
  return Guard(this, s);
}

}  // namespace jormun::storage
