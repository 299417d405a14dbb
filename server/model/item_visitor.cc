#include "model/item_visitor.h"

namespace jormun::model {

void visit_item(const Item& item, ItemVisitor& visitor) {
  visitor.begin_map(item.size());
  for (const auto& [name, value] : item) {
    visitor.name(name);
    visit_value(value, visitor);
  }
  visitor.end_map();
}

void visit_value(const AttributeValue& v, ItemVisitor& visitor) {
  switch (v.type()) {
    case Type::S:
      return visitor.string(v.as<std::string>());
    case Type::N:
      return visitor.number(v.as<Decimal>());
    case Type::B:
      return visitor.binary(v.as<Binary>().bytes);
    case Type::BOOL:
      return visitor.boolean(v.as<bool>());
    case Type::NULL_:
      return visitor.null();
    case Type::SS:
      visitor.begin_set(Type::SS, v.as<StringSet>().items.size());
      for (const auto& s : v.as<StringSet>().items) visitor.string(s);
      return visitor.end_set();
    case Type::NS:
      visitor.begin_set(Type::NS, v.as<NumberSet>().items.size());
      for (const auto& n : v.as<NumberSet>().items) visitor.number(n);
      return visitor.end_set();
    case Type::BS:
      visitor.begin_set(Type::BS, v.as<BinarySet>().items.size());
      for (const auto& b : v.as<BinarySet>().items) visitor.binary(b);
      return visitor.end_set();
    case Type::L:
      visitor.begin_list(v.as<List>().size());
      for (const auto& element : v.as<List>()) visit_value(element, visitor);
      return visitor.end_list();
    case Type::M:
      return visit_item(v.as<Map>(), visitor);
  }
}

}  // namespace jormun::model
