#include "expr/evaluator.h"

#include <algorithm>
#include <optional>

#include "expr/functions.h"
#include "expr/value_compare.h"

namespace jormun::expr {
namespace {

using model::AttributeValue;

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
      const OperandValue a = evaluate_operand(c.operands[0], item);
      const OperandValue b = evaluate_operand(c.operands[1], item);
      return compare(c.comparator, a.get(), b.get());
    }
    case Condition::Op::kBetween: {
      const OperandValue v = evaluate_operand(c.operands[0], item);
      const OperandValue low = evaluate_operand(c.operands[1], item);
      const OperandValue high = evaluate_operand(c.operands[2], item);
      return compare(Comparator::kGe, v.get(), low.get()) &&
             compare(Comparator::kLe, v.get(), high.get());
    }
    case Condition::Op::kIn: {
      const OperandValue v = evaluate_operand(c.operands[0], item);
      if (v.get() == nullptr) return false;
      return std::any_of(
          c.operands.begin() + 1, c.operands.end(), [&](const Operand& op) {
            const OperandValue candidate = evaluate_operand(op, item);
            return candidate.get() != nullptr && *candidate.get() == *v.get();
          });
    }
    case Condition::Op::kFunction: {
      Arguments args(c.operands, item);
      return describe(c.function).test(args);
    }
  }
  return false;
}

}  // namespace jormun::expr
