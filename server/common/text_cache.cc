#include "common/text_cache.h"

namespace jormun::common {

size_t TextCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

std::shared_ptr<const void> TextCache::find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  return it->second.value;
}

void TextCache::insert(std::string key, std::shared_ptr<const void> value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.count(key) != 0) return;
  if (entries_.size() >= capacity_ && !lru_.empty()) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(std::move(key), Entry{std::move(value), lru_.begin()});
}

}  // namespace jormun::common
