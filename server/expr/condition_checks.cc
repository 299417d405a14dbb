#include "expr/condition_checks.h"

#include <optional>
#include <string>

#include "expr/errors.h"
#include "expr/value_compare.h"

namespace jormun::expr {
namespace {

using model::Type;

// The statically known type of an operand, if any: a :value's own type, or N
// for size(). Paths are only known when evaluated.
std::optional<Type> known_type(const Operand& op) {
  if (op.kind == Operand::Kind::kValue) return op.value.type();
  if (op.kind == Operand::Kind::kFunction && op.function == Function::kSize)
    return Type::N;
  return std::nullopt;
}

void require_path(const Operand& op, Function f, ExpressionKind kind) {
  if (op.kind == Operand::Kind::kPath) return;
  throw invalid_expression(
      kind, std::string("Operator or function requires a document path; operator or "
                        "function: ") +
                function_name(f));
}

void check_operand_type(const Operand& op, std::string_view function, ExpressionKind kind,
                        bool (*allowed)(Type)) {
  const std::optional<Type> t = known_type(op);
  if (t && !allowed(*t)) {
    throw invalid_expression(kind,
                             incorrect_operand_detail(function, model::type_name(*t)));
  }
}

// Checks of a condition's operand functions (size) and their arguments.
void check_operand_functions(const Operand& op, ExpressionKind kind) {
  if (op.kind != Operand::Kind::kFunction) return;
  for (const Operand& arg : op.args) check_operand_functions(arg, kind);
  if (op.function == Function::kSize) {
    check_operand_type(op.args[0], "size", kind, [](Type t) {
      return t != Type::N && t != Type::BOOL && t != Type::NULL_;
    });
  }
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

void check_attribute_type(const Operand& type_operand, ExpressionKind kind) {
  const std::optional<Type> t = known_type(type_operand);
  if (t != Type::S) {
    throw invalid_expression(
        kind,
        incorrect_operand_detail("attribute_type", t ? model::type_name(*t)
                                                     : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
  }
  const std::string& name = type_operand.value.as<std::string>();
  if (model::type_from_name(name)) return;
  throw invalid_expression(kind, "Invalid attribute type name found; type: " + name +
                                     ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
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
    case Condition::Op::kFunction:
      check_distinct(c.operands, function_name(c.function), kind);
      switch (c.function) {
        case Function::kAttributeExists:
        case Function::kAttributeNotExists:
          require_path(c.operands[0], c.function, kind);
          break;
        case Function::kAttributeType:
          require_path(c.operands[0], c.function, kind);
          check_attribute_type(c.operands[1], kind);
          break;
        case Function::kBeginsWith:
          for (const Operand& op : c.operands) {
            check_operand_type(op, "begins_with", kind,
                               [](Type t) { return t == Type::S || t == Type::B; });
          }
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
}

}  // namespace jormun::expr
