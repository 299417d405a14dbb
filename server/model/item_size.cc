#include "model/item_size.h"

namespace jormun::model {
namespace {

int64_t floor_half(int64_t x) { return x >= 0 ? x / 2 : -((-x + 1) / 2); }

size_t number_size(const Decimal& d) {
  if (d.is_zero()) return 1;
  // Digit i (from 1) of 0.d1d2..dn * 10^e stands for 10^(e-i); it falls in
  // base-100 digit floor((e-i)/2).
  int64_t e = d.exponent();
  auto n = static_cast<int64_t>(d.digits().size());
  auto pairs = static_cast<size_t>(floor_half(e - 1) - floor_half(e - n) + 1);
  return 1 + pairs + (d.negative() ? 1 : 0);
}

}  // namespace

size_t value_size(const AttributeValue& v) {
  size_t size = 0;
  switch (v.type()) {
    case Type::S:
      return v.as<std::string>().size();
    case Type::N:
      return number_size(v.as<Decimal>());
    case Type::B:
      return v.as<Binary>().bytes.size();
    case Type::BOOL:
    case Type::NULL_:
      return 1;
    case Type::SS:
      for (const auto& s : v.as<StringSet>().items) size += s.size();
      return size;
    case Type::NS:
      for (const auto& n : v.as<NumberSet>().items) size += number_size(n);
      return size;
    case Type::BS:
      for (const auto& b : v.as<BinarySet>().items) size += b.size();
      return size;
    case Type::L:
      size = 3;
      for (const auto& element : v.as<List>()) size += 1 + value_size(element);
      return size;
    case Type::M:
      return 3 + v.as<Map>().size() + item_size(v.as<Map>());
  }
  return size;
}

size_t item_size(const Item& item) {
  size_t size = 0;
  for (const auto& [name, value] : item) size += name.size() + value_size(value);
  return size;
}

}  // namespace jormun::model
