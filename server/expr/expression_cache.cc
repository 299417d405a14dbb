#include "expr/expression_cache.h"

#include "expr/parser.h"

namespace jormun::expr {

ExpressionCache::ExpressionCache(size_t capacity) : capacity_(capacity) {}

ExpressionCache& ExpressionCache::shared() {
  static ExpressionCache cache(4096);
  return cache;
}

size_t ExpressionCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

template <typename T, typename Parse>
std::shared_ptr<const T> ExpressionCache::get(ExpressionKind kind, std::string_view text,
                                              Parse&& parse) {
  std::string key(1, static_cast<char>(kind));
  key += text;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru_position);
      return std::get<std::shared_ptr<const T>>(it->second.parsed);
    }
  }
  // Parse outside the lock; two threads may both parse a new text, which is
  // harmless since the results are equal.
  auto parsed = std::make_shared<const T>(parse());
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.count(key) == 0) {
    if (entries_.size() >= capacity_ && !lru_.empty()) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    entries_.emplace(std::move(key), Entry{parsed, lru_.begin()});
  }
  return parsed;
}

std::shared_ptr<const Condition> ExpressionCache::condition(std::string_view text,
                                                            ExpressionKind kind) {
  return get<Condition>(kind, text, [&] { return parse_condition(text, kind); });
}

std::shared_ptr<const UpdateExpression> ExpressionCache::update(std::string_view text) {
  return get<UpdateExpression>(ExpressionKind::kUpdate, text,
                               [&] { return parse_update(text); });
}

std::shared_ptr<const Projection> ExpressionCache::projection(std::string_view text) {
  return get<Projection>(ExpressionKind::kProjection, text,
                         [&] { return parse_projection(text); });
}

}  // namespace jormun::expr
