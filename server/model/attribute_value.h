// A DynamoDB attribute value: S, N, B, BOOL, NULL, SS, NS, BS, L or M.
// This is the tree form used by expressions and the item codec; sets are kept
// sorted and duplicate-free so that equality is plain structural equality.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "model/decimal.h"

namespace jormun::model {

// Order matches the variant below. Not persisted (the item codec has its own
// tags), so it may change.
enum class Type : uint8_t { S, N, B, BOOL, NULL_, SS, NS, BS, L, M };

struct AttributeValue;

struct Null {
  bool operator==(const Null&) const = default;
};
struct Binary {
  std::string bytes;
  bool operator==(const Binary&) const = default;
};
// Sorted by unsigned byte order, unique.
struct StringSet {
  std::vector<std::string> items;
  bool operator==(const StringSet&) const = default;
};
// Sorted by unsigned byte order, unique.
struct BinarySet {
  std::vector<std::string> items;
  bool operator==(const BinarySet&) const = default;
};
// Sorted numerically, unique.
struct NumberSet {
  std::vector<Decimal> items;
  bool operator==(const NumberSet&) const = default;
};
using List = std::vector<AttributeValue>;
using Map = std::map<std::string, AttributeValue, std::less<>>;
// An item is a map of top-level attribute names to values.
using Item = Map;

struct AttributeValue {
  using Variant = std::variant<std::string, Decimal, Binary, bool, Null, StringSet,
                               NumberSet, BinarySet, List, Map>;
  Variant v;

  AttributeValue() : v(Null{}) {}
  template <typename T>
    requires(!std::is_same_v<std::decay_t<T>, AttributeValue>)
  AttributeValue(T&& x) : v(std::forward<T>(x)) {}

  Type type() const { return static_cast<Type>(v.index()); }
  template <typename T>
  const T& as() const { return std::get<T>(v); }
  template <typename T>
  T& as() { return std::get<T>(v); }
  template <typename T>
  bool is() const { return std::holds_alternative<T>(v); }

  bool operator==(const AttributeValue& o) const { return v == o.v; }
};

// DynamoDB's type descriptor: "S", "N", "B", "BOOL", "NULL", "SS", ...
const char* type_name(Type t);
// The inverse of type_name; nullopt for anything else.
std::optional<Type> type_from_name(std::string_view name);

// Sort and drop duplicates, establishing a set's invariant after its items
// were filled in any order (numbers compare numerically, so "1" and "1.0"
// are one item).
void canonicalize(StringSet* set);
void canonicalize(BinarySet* set);
void canonicalize(NumberSet* set);

}  // namespace jormun::model
