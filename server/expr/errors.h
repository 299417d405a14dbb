// Builders for the ValidationException messages of expressions, so that the
// "Invalid <Kind>: " prefix is written in one place.
#pragma once

#include <string>
#include <string_view>

#include "common/api_error.h"
#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

// ValidationException "Invalid <KindName>: <detail>".
ApiError invalid_expression(ExpressionKind kind, std::string_view detail);

// The detail of a syntax error: `Syntax error; token: "<token>", near: "<near>"`.
std::string syntax_error_detail(std::string_view token, std::string_view near);

// A scalar as DynamoDB quotes it in messages: "{N:1}", "{S:abc}", "{B:<base64>}".
// Other types give their descriptor only ("{L}").
std::string describe_value(const model::AttributeValue& v);

// "Incorrect operand type for operator or function; operator or function: <f>,
// operand type: <type>"
std::string incorrect_operand_detail(std::string_view function, std::string_view type);

// ValidationException "An operand in the update expression has an incorrect
// data type", found while applying an update; DynamoDB words it without the
// "Invalid UpdateExpression: " prefix.
ApiError update_operand_type_error();

}  // namespace jormun::expr
