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
