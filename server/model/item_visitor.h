// An item as a sequence of events, so that one reader of the stored form
// can feed several consumers (a tree, DynamoDB JSON, a size count) without
// building the tree they do not need.
#pragma once

#include <cstddef>
#include <string_view>

#include "model/attribute_value.h"

namespace jormun::model {

// Receives an item's parts in order. The item itself is a begin_map() ...
// end_map(); inside a map, each entry is name() then one value; a value is
// one call (string, number, binary, boolean, null) or a nested begin/end
// pair. Map names come in ascending byte order and set members in their
// canonical order, as the item holds them.
class ItemVisitor {
 public:
  virtual ~ItemVisitor() = default;
  // A map of `size` entries: the item, or an M value.
  virtual void begin_map(size_t size) = 0;
  virtual void name(std::string_view name) = 0;
  virtual void end_map() = 0;
  // An L value of `size` elements.
  virtual void begin_list(size_t size) = 0;
  virtual void end_list() = 0;
  // An SS, NS or BS value of `size` members, each given as string(),
  // number() or binary().
  virtual void begin_set(Type type, size_t size) = 0;
  virtual void end_set() = 0;
  virtual void string(std::string_view s) = 0;
  virtual void number(const Decimal& n) = 0;
  virtual void binary(std::string_view bytes) = 0;
  virtual void boolean(bool b) = 0;
  virtual void null() = 0;
};

// Walks a tree, calling `visitor` as decode_item does for its encoding.
void visit_item(const Item& item, ItemVisitor& visitor);
// The same for one value (an M value is a begin_map ... end_map).
void visit_value(const AttributeValue& value, ItemVisitor& visitor);

}  // namespace jormun::model
