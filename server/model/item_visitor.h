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

// Passes each event to two visitors, so that one decoding pass feeds both.
class VisitorPair final : public ItemVisitor {
 public:
  VisitorPair(ItemVisitor& a, ItemVisitor& b) : a_(a), b_(b) {}
  void begin_map(size_t size) override { a_.begin_map(size), b_.begin_map(size); }
  void name(std::string_view name) override { a_.name(name), b_.name(name); }
  void end_map() override { a_.end_map(), b_.end_map(); }
  void begin_list(size_t size) override { a_.begin_list(size), b_.begin_list(size); }
  void end_list() override { a_.end_list(), b_.end_list(); }
  void begin_set(Type type, size_t size) override {
    a_.begin_set(type, size), b_.begin_set(type, size);
  }
  void end_set() override { a_.end_set(), b_.end_set(); }
  void string(std::string_view s) override { a_.string(s), b_.string(s); }
  void number(const Decimal& n) override { a_.number(n), b_.number(n); }
  void binary(std::string_view bytes) override { a_.binary(bytes), b_.binary(bytes); }
  void boolean(bool b) override { a_.boolean(b), b_.boolean(b); }
  void null() override { a_.null(), b_.null(); }

 private:
  ItemVisitor& a_;
  ItemVisitor& b_;
};

// Walks a tree, calling `visitor` as decode_item does for its encoding.
void visit_item(const Item& item, ItemVisitor& visitor);
// The same for one value (an M value is a begin_map ... end_map).
void visit_value(const AttributeValue& value, ItemVisitor& visitor);

}  // namespace jormun::model
