#include "expr/ast.h"

namespace jormun::expr {

const char* kind_name(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition:
      return "ConditionExpression";
    case ExpressionKind::kFilter:
      return "FilterExpression";
    case ExpressionKind::kKeyCondition:
      return "KeyConditionExpression";
    case ExpressionKind::kUpdate:
      return "UpdateExpression";
    case ExpressionKind::kProjection:
      return "ProjectionExpression";
  }
  return "Expression";
}

std::string path_to_string(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.elements.size(); ++i) {
    if (i > 0) out += ", ";
    const PathElement& e = path.elements[i];
    if (const auto* name = std::get_if<std::string>(&e)) {
      out += *name;
    } else {
      out += "[" + std::to_string(std::get<uint32_t>(e)) + "]";
    }
  }
  return out + "]";
}

const char* function_name(Function f) {
  switch (f) {
    case Function::kAttributeExists:
      return "attribute_exists";
    case Function::kAttributeNotExists:
      return "attribute_not_exists";
    case Function::kAttributeType:
      return "attribute_type";
    case Function::kBeginsWith:
      return "begins_with";
    case Function::kContains:
      return "contains";
    case Function::kSize:
      return "size";
    case Function::kIfNotExists:
      return "if_not_exists";
    case Function::kListAppend:
      return "list_append";
    case Function::kPlus:
      return "+";
    case Function::kMinus:
      return "-";
  }
  return "";
}

std::optional<Function> function_from_name(std::string_view name) {
  static constexpr Function kNamed[] = {
      Function::kAttributeExists, Function::kAttributeNotExists, Function::kAttributeType,
      Function::kBeginsWith,      Function::kContains,           Function::kSize,
      Function::kIfNotExists,     Function::kListAppend,
  };
  for (Function f : kNamed) {
    if (name == function_name(f)) return f;
  }
  return std::nullopt;
}

bool is_update_function(Function f) {
  return f == Function::kIfNotExists || f == Function::kListAppend ||
         f == Function::kPlus || f == Function::kMinus;
}

const char* comparator_text(Comparator c) {
  switch (c) {
    case Comparator::kEq:
      return "=";
    case Comparator::kNe:
      return "<>";
    case Comparator::kLt:
      return "<";
    case Comparator::kLe:
      return "<=";
    case Comparator::kGt:
      return ">";
    case Comparator::kGe:
      return ">=";
  }
  return "";
}

}  // namespace jormun::expr
