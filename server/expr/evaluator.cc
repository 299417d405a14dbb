#include "expr/evaluator.h"

#include <algorithm>
#include <optional>

#include "expr/document.h"
#include "expr/value_compare.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;
using model::Type;

// An operand's value: a reference into the item or the expression, or, for
// size(), a number computed on the spot. Empty when the path is missing.
class Value {
 public:
  Value() = default;
  explicit Value(const AttributeValue* ref) : ref_(ref) {}
  explicit Value(AttributeValue owned) : owned_(std::move(owned)) {}

  const AttributeValue* get() const { return owned_ ? &*owned_ : ref_; }

 private:
  const AttributeValue* ref_ = nullptr;
  std::optional<AttributeValue> owned_;
};

std::optional<size_t> size_of(const AttributeValue& v) {
  switch (v.type()) {
    case Type::S:
      return v.as<std::string>().size();
    case Type::B:
      return v.as<model::Binary>().bytes.size();
    case Type::SS:
      return v.as<model::StringSet>().items.size();
    case Type::NS:
      return v.as<model::NumberSet>().items.size();
    case Type::BS:
      return v.as<model::BinarySet>().items.size();
    case Type::L:
      return v.as<model::List>().size();
    case Type::M:
      return v.as<model::Map>().size();
    default:
      return std::nullopt;
  }
}

Value evaluate_operand(const Operand& op, const model::Item* item) {
  switch (op.kind) {
    case Operand::Kind::kValue:
      return Value(&op.value);
    case Operand::Kind::kPath:
      return Value(item ? find_path(*item, op.path) : nullptr);
    case Operand::Kind::kFunction:
      break;
  }
  // The resolver admits only size() as a condition operand.
  const Value inner = evaluate_operand(op.args[0], item);
  if (inner.get() == nullptr) return Value();
  const std::optional<size_t> size = size_of(*inner.get());
  if (!size) return Value();
  return Value(AttributeValue(model::Decimal::parse(std::to_string(*size))));
}

bool compare(Comparator cmp, const AttributeValue* a, const AttributeValue* b) {
  if (cmp == Comparator::kEq) return a && b && *a == *b;
  if (cmp == Comparator::kNe) return !(a && b && *a == *b);
  if (!a || !b) return false;
  const std::optional<int> order = compare_ordered(*a, *b);
  if (!order) return false;
  switch (cmp) {
    case Comparator::kLt:
      return *order < 0;
    case Comparator::kLe:
      return *order <= 0;
    case Comparator::kGt:
      return *order > 0;
    case Comparator::kGe:
      return *order >= 0;
    default:
      return false;
  }
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool begins_with(const AttributeValue& v, const AttributeValue& prefix) {
  if (v.type() != prefix.type()) return false;
  if (v.is<std::string>())
    return starts_with(v.as<std::string>(), prefix.as<std::string>());
  if (v.is<model::Binary>()) {
    return starts_with(v.as<model::Binary>().bytes, prefix.as<model::Binary>().bytes);
  }
  return false;
}

template <typename T>
bool set_has(const std::vector<T>& items, const T& x) {
  return std::binary_search(items.begin(), items.end(), x);
}

bool contains(const AttributeValue& v, const AttributeValue& x) {
  switch (v.type()) {
    case Type::S:
      return x.is<std::string>() &&
             v.as<std::string>().find(x.as<std::string>()) != std::string::npos;
    case Type::B:
      return x.is<model::Binary>() &&
             v.as<model::Binary>().bytes.find(x.as<model::Binary>().bytes) !=
                 std::string::npos;
    case Type::SS:
      return x.is<std::string>() &&
             set_has(v.as<model::StringSet>().items, x.as<std::string>());
    case Type::BS:
      return x.is<model::Binary>() &&
             set_has(v.as<model::BinarySet>().items, x.as<model::Binary>().bytes);
    case Type::NS:
      return x.is<model::Decimal>() &&
             set_has(v.as<model::NumberSet>().items, x.as<model::Decimal>());
    case Type::L: {
      const model::List& l = v.as<model::List>();
      return std::find(l.begin(), l.end(), x) != l.end();
    }
    default:
      return false;
  }
}

bool evaluate_function(const Condition& c, const model::Item* item) {
  const Value first = evaluate_operand(c.operands[0], item);
  const AttributeValue* v = first.get();
  switch (c.function) {
    case Function::kAttributeExists:
      return v != nullptr;
    case Function::kAttributeNotExists:
      return v == nullptr;
    default:
      break;
  }
  const Value second = evaluate_operand(c.operands[1], item);
  const AttributeValue* arg = second.get();
  if (v == nullptr || arg == nullptr) return false;
  switch (c.function) {
    case Function::kAttributeType:
      return arg->is<std::string>() &&
             arg->as<std::string>() == model::type_name(v->type());
    case Function::kBeginsWith:
      return begins_with(*v, *arg);
    case Function::kContains:
      return contains(*v, *arg);
    default:
      return false;
  }
}

}  // namespace

bool evaluate(const Condition& c, const model::Item* item) {
  switch (c.op) {
    case Condition::Op::kOr:
      return evaluate(c.children[0], item) || evaluate(c.children[1], item);
    case Condition::Op::kAnd:
      return evaluate(c.children[0], item) && evaluate(c.children[1], item);
    case Condition::Op::kNot:
      return !evaluate(c.children[0], item);
    case Condition::Op::kCompare: {
      const Value a = evaluate_operand(c.operands[0], item);
      const Value b = evaluate_operand(c.operands[1], item);
      return compare(c.comparator, a.get(), b.get());
    }
    case Condition::Op::kBetween: {
      const Value v = evaluate_operand(c.operands[0], item);
      const Value low = evaluate_operand(c.operands[1], item);
      const Value high = evaluate_operand(c.operands[2], item);
      return compare(Comparator::kGe, v.get(), low.get()) &&
             compare(Comparator::kLe, v.get(), high.get());
    }
    case Condition::Op::kIn: {
      const Value v = evaluate_operand(c.operands[0], item);
      if (v.get() == nullptr) return false;
      return std::any_of(
          c.operands.begin() + 1, c.operands.end(), [&](const Operand& op) {
            const Value candidate = evaluate_operand(op, item);
            return candidate.get() != nullptr && *candidate.get() == *v.get();
          });
    }
    case Condition::Op::kFunction:
      return evaluate_function(c, item);
  }
  return false;
}

}  // namespace jormun::expr
