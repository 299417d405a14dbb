// A bounded, thread-safe cache of parsed expressions keyed by (kind, text),
// so a client that sends the same expression in a hot loop is parsed once.
// Only parsing is cached: results still hold placeholders and are resolved
// per request. Expressions that fail to parse are not cached.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

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

  size_t size() const;

  // The process-wide cache the operations use (4096 entries).
  static ExpressionCache& shared();

 private:
  using Parsed = std::variant<std::shared_ptr<const Condition>,
                              std::shared_ptr<const UpdateExpression>,
                              std::shared_ptr<const Projection>>;
  struct Entry {
    Parsed parsed;
    std::list<std::string>::iterator lru_position;
  };

  template <typename T, typename Parse>
  std::shared_ptr<const T> get(ExpressionKind kind, std::string_view text, Parse&& parse);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace jormun::expr
