#include "storage/lock_manager.h"

#include <algorithm>
#include <functional>

namespace jormun::storage {

size_t LockManager::stripe(std::string_view key) {
  return std::hash<std::string_view>{}(key) % kStripes;
}

LockManager::Guard::Guard(LockManager* m, std::vector<size_t> stripes)
    : m_(m), stripes_(std::move(stripes)) {
  for (size_t s : stripes_) m_->stripes_[s].lock();
}

LockManager::Guard::~Guard() {
  for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) m_->stripes_[*it].unlock();
}

LockManager::Guard LockManager::lock(std::string_view key) { return Guard(this, {stripe(key)}); }

LockManager::Guard LockManager::lock_all(const std::vector<std::string_view>& keys) {
  std::vector<size_t> s;
  s.reserve(keys.size());
  for (auto k : keys) s.push_back(stripe(k));
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return Guard(this, std::move(s));
}

}  // namespace jormun::storage
