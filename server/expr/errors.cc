#include "expr/errors.h"

#include "model/base64.h"

namespace jormun::expr {

ApiError invalid_expression(ExpressionKind kind, std::string_view detail) {
  std::string message = "Invalid ";
  message += kind_name(kind);
  message += ": ";
  message += detail;
  return ApiError::validation(std::move(message));
}

std::string syntax_error_detail(std::string_view token, std::string_view near) {
  std::string out = "Syntax error; token: \"";
  out += token;
  out += "\", near: \"";
  out += near;
  out += "\"";
  return out;
}

std::string describe_value(const model::AttributeValue& v) {
  std::string out = "{";
  out += model::type_name(v.type());
  switch (v.type()) {
    case model::Type::S:
      out += ":" + v.as<std::string>();
      break;
    case model::Type::N:
      out += ":" + v.as<model::Decimal>().to_string();
      break;
    case model::Type::B:
      out += ":" + model::base64_encode(v.as<model::Binary>().bytes);
      break;
    default:
      break;
  }
  return out + "}";
}

std::string incorrect_operand_detail(std::string_view function, std::string_view type) {
  std::string out =
      "Incorrect operand type for operator or function; operator or function: ";
  out += function;
  out += ", operand type: ";
  out += type;
  return out;
}

ApiError update_operand_type_error() {
  return ApiError::validation(
      "An operand in the update expression has an incorrect data type");
}

}  // namespace jormun::expr
