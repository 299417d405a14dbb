#include "expr/errors.h"

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

}  // namespace jormun::expr
