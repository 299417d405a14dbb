#include "expr/condition_checks.h"

#include <optional>
#include <string>

#include "expr/errors.h"
#include "expr/functions.h"
#include "expr/value_compare.h"

namespace jormun::expr {
namespace {

// The checks of a condition's operand functions (size) and their arguments.
void check_operand_functions(const Operand& op, ExpressionKind kind) {
  if (op.kind != Operand::Kind::kFunction) return;
  for (const Operand& arg : op.args) check_operand_functions(arg, kind);
  check_arguments(describe(op.function), op.args, kind);
}

void check_distinct(const std::vector<Operand>& operands, std::string_view op_name,
                    ExpressionKind kind) {
  if (operands.size() != 2 || operands[0].kind != Operand::Kind::kPath ||
      operands[1].kind != Operand::Kind::kPath ||
      !(operands[0].path == operands[1].path)) {
    return;
  }
  throw invalid_expression(kind,
                           "The first operand must be distinct from the remaining "
                           "operands for this operator or "
                           "function; operator: " +
                               std::string(op_name) +
                               ", first operand: " + path_to_string(operands[0].path));
}

void check_between_bounds(const Operand& low, const Operand& high, ExpressionKind kind) {
  if (low.kind != Operand::Kind::kValue || high.kind != Operand::Kind::kValue) return;
  const std::string bounds =
      "lower bound operand: AttributeValue: " + describe_value(low.value) +
      ", upper bound operand: AttributeValue: " + describe_value(high.value);
  if (low.value.type() != high.value.type()) {
    throw invalid_expression(
        kind,
        "The BETWEEN operator requires same data type for lower and upper bounds; " +
            bounds);
  }
  const std::optional<int> order = compare_ordered(low.value, high.value);
  if (order && *order > 0) {
    throw invalid_expression(
        kind,
        "The BETWEEN operator requires upper bound to be greater than "
        "or equal to lower bound; " +
            bounds);
  }
}

}  // namespace

void check_condition(const Condition& c, ExpressionKind kind) {
  for (const Condition& child : c.children) check_condition(child, kind);
  for (const Operand& op : c.operands) check_operand_functions(op, kind);
  switch (c.op) {
    case Condition::Op::kCompare:
      check_distinct(c.operands, comparator_text(c.comparator), kind);
      if (c.comparator != Comparator::kEq && c.comparator != Comparator::kNe) {
        for (const Operand& op : c.operands) {
          check_operand_type(op, comparator_text(c.comparator), kind, is_ordered_type);
        }
      }
      break;
    case Condition::Op::kBetween:
      for (const Operand& op : c.operands) {
        check_operand_type(op, "BETWEEN", kind, is_ordered_type);
      }
      check_between_bounds(c.operands[1], c.operands[2], kind);
      break;
    case Condition::Op::kFunction: {
      const FunctionDescriptor& f = describe(c.function);
      check_distinct(c.operands, f.name, kind);
      check_arguments(f, c.operands, kind);
      break;
    }
    default:
      break;
  }
}

}  // namespace jormun::expr
