#include "storage/lock_manager.h"

#include <functional>

namespace jormun::storage {

size_t LockManager::stripe(std::string_view key) {
  return std::hash<std::string_view>{}(key) % kStripes;
}

LockManager::Guard::Guard(LockManager* m, size_t stripe) : m_(m), stripe_(stripe) {
  m_->stripes_[stripe_].lock();
}

LockManager::Guard::~Guard() {
  if (m_) m_->stripes_[stripe_].unlock();
}

LockManager::Guard LockManager::lock_stripe(size_t s) { return Guard(this, s); }

}  // namespace jormun::storage
