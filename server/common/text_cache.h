// A bounded, thread-safe cache of immutable parses keyed by their text, so a
// client that sends the same expression or statement in a hot loop is
// parsed once. Shared by the expression language (expr/expression_cache.h)
// and PartiQL (partiql/parser.h). What fails to parse is not cached.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace jormun::common {

// Thread-safe. Entries are immutable and shared; the least recently used
// entry is dropped when the cache holds `capacity` entries.
// REQUIRES: a key always holds values of one type; a caller that caches
// several types keeps their keys apart (ExpressionCache prefixes the kind).
class TextCache {
 public:
  explicit TextCache(size_t capacity) : capacity_(capacity) {}

  // The value cached under `key`, or parse()'s result (a T), cached. parse
  // runs outside the lock: two threads may both parse a new text, which is
  // harmless since the results are equal. Whatever parse throws passes
  // through and nothing is cached.
  template <typename T, typename Parse>
  std::shared_ptr<const T> get(std::string key, Parse&& parse) {
    if (auto hit = find(key)) return std::static_pointer_cast<const T>(std::move(hit));
    auto parsed = std::make_shared<const T>(parse());
    insert(std::move(key), parsed);
    return parsed;
  }

  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const void> value;
    std::list<std::string>::iterator lru_position;
  };

  std::shared_ptr<const void> find(const std::string& key);
  void insert(std::string key, std::shared_ptr<const void> value);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace jormun::common
