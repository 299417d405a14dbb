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

namespace {

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

std::string describe_value(const model::AttributeValue& v) {
  std::string out = "{";
  out += model::type_name(v.type());
  switch (v.type()) {
    case model::Type::S: out += ":" + v.as<std::string>(); break;
    case model::Type::N: out += ":" + v.as<model::Decimal>().to_string(); break;
    case model::Type::B: out += ":" + base64(v.as<model::Binary>().bytes); break;
    default: break;
  }
  return out + "}";
}

std::string incorrect_operand_detail(std::string_view function, std::string_view type) {
  std::string out = "Incorrect operand type for operator or function; operator or function: ";
  out += function;
  out += ", operand type: ";
  out += type;
  return out;
}

}  // namespace jormun::expr
