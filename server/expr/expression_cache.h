// A bounded, thread-safe cache of parsed expressions keyed by (kind, text),
// so a client that sends the same expression in a hot loop is parsed once
// (common/text_cache.h does the caching). Only parsing is cached: results
// still hold placeholders and are resolved per request. Expressions that
// fail to parse are not cached.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/text_cache.h"
#include "expr/ast.h"

namespace jormun::expr {

// Thread-safe. Entries are immutable and shared; the least recently used
// entry is dropped when the cache holds `capacity` entries.
class ExpressionCache {
 public:
  explicit ExpressionCache(size_t capacity);

  // Each parses on a miss (throwing the parser's errors, see parser.h).
  // REQUIRES for condition(): kind is kCondition, kFilter or kKeyCondition.
  std::shared_ptr<const Condition> condition(std::string_view text, ExpressionKind kind);
  std::shared_ptr<const UpdateExpression> update(std::string_view text);
  std::shared_ptr<const Projection> projection(std::string_view text);

  size_t size() const { return cache_.size(); }

  // The process-wide cache the operations use (4096 entries).
  static ExpressionCache& shared();

 private:
  // The key is the kind's byte then the text, so each key holds one type.
  template <typename T, typename Parse>
  std::shared_ptr<const T> get(ExpressionKind kind, std::string_view text, Parse&& parse) {
    std::string key(1, static_cast<char>(kind));
    key += text;
    return cache_.get<T>(std::move(key), std::forward<Parse>(parse));
  }

  common::TextCache cache_;
};

}  // namespace jormun::expr
