// Builders for the ValidationException messages of expressions, so that the
// "Invalid <Kind>: " prefix is written in one place.
#pragma once

#include <string>
#include <string_view>

#include "common/api_error.h"
#include "expr/ast.h"

namespace jormun::expr {

// ValidationException "Invalid <KindName>: <detail>".
ApiError invalid_expression(ExpressionKind kind, std::string_view detail);

// The detail of a syntax error: `Syntax error; token: "<token>", near: "<near>"`.
std::string syntax_error_detail(std::string_view token, std::string_view near);

}  // namespace jormun::expr
