#include "model/item_size.h"

#include <vector>

#include "common/api_error.h"
#include "model/item_codec.h"
#include "model/item_visitor.h"

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

// Adds up sizes from an item's events. Inside a list each element costs one
// byte more, inside an M value each entry does; an M or L value costs 3.
class SizeCounter final : public ItemVisitor {
 public:
  // `nested`: the first map is an M value, not the item itself.
  explicit SizeCounter(bool nested) : nested_(nested) {}
  size_t size() const { return size_; }

  void begin_map(size_t) override {
    if (open_.empty() && !nested_) {
      open_.push_back(Kind::kItem);
      return;
    }
    value(3);
    open_.push_back(Kind::kMap);
  }
  void name(std::string_view name) override {
    size_ += name.size() + (open_.back() == Kind::kMap ? 1 : 0);
  }
  void end_map() override { open_.pop_back(); }
  void begin_list(size_t) override {
    value(3);
    open_.push_back(Kind::kList);
  }
  void end_list() override { open_.pop_back(); }
  void begin_set(Type, size_t) override {
    value(0);
    open_.push_back(Kind::kSet);
  }
  void end_set() override { open_.pop_back(); }
  void string(std::string_view s) override { value(s.size()); }
  void number(const Decimal& n) override { value(number_size(n)); }
  void binary(std::string_view bytes) override { value(bytes.size()); }
  void boolean(bool) override { value(1); }
  void null() override { value(1); }

 private:
  enum class Kind { kItem, kMap, kList, kSet };
  void value(size_t own) {
    size_ += own + (!open_.empty() && open_.back() == Kind::kList ? 1 : 0);
  }

  const bool nested_;
  std::vector<Kind> open_;
  size_t size_ = 0;
};

}  // namespace

size_t value_size(const AttributeValue& v) {
  SizeCounter counter(true);
  visit_value(v, counter);
  return counter.size();
}

size_t item_size(const Item& item) {
  SizeCounter counter(false);
  visit_item(item, counter);
  return counter.size();
}

void check_attribute_names(const Item& item) {
  for (const auto& [name, value] : item) {
    // The text DynamoDB Local gives; DynamoDB's own is not confirmed (see
    // docs/architecture.md).
    if (name.size() > kMaxAttributeNameBytes)
      throw ApiError::validation("Attribute name is too large, must be less than 65536 bytes");
  }
}

size_t stored_item_size(std::string_view stored) {
  SizeCounter counter(false);
  decode_item(stored, counter);
  return counter.size();
}

size_t stored_item_size(std::string_view stored, ItemVisitor& also) {
  SizeCounter counter(false);
  VisitorPair both(counter, also);
  decode_item(stored, both);
  return counter.size();
}

}  // namespace jormun::model
