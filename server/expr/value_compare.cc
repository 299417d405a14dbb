#include "expr/value_compare.h"

namespace jormun::expr {

using model::AttributeValue;
using model::Type;

bool is_ordered_type(Type t) { return t == Type::S || t == Type::N || t == Type::B; }

std::optional<int> compare_ordered(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  // std::string::compare orders char as unsigned char, i.e. by unsigned bytes.
  switch (a.type()) {
    case Type::S:
      return a.as<std::string>().compare(b.as<std::string>());
    case Type::B:
      return a.as<model::Binary>().bytes.compare(b.as<model::Binary>().bytes);
    case Type::N:
      return a.as<model::Decimal>().compare(b.as<model::Decimal>());
    default:
      return std::nullopt;
  }
}

}  // namespace jormun::expr
