// Parsing of DynamoDB expressions into syntax trees (phase one of three:
// parse, resolve, evaluate). The result still holds #name and :value
// placeholders as written; see resolver.h.
//
// Every function throws ApiError (ValidationException) with DynamoDB's text:
//   "Invalid <Kind>: The expression can not be empty;"
//   "Invalid <Kind>: Expression size has exceeded the maximum allowed size; expression
//   size: N" "Invalid <Kind>: Syntax error; token: \"<tok>\", near: \"<text>\"" "Invalid
//   <Kind>: Attribute name is a reserved keyword; reserved keyword: <word>" "Invalid
//   <Kind>: Invalid function name; function: <name>" "Invalid <Kind>: Incorrect number of
//   operands for operator or function; ..."
// and, for conditions, "The expression has redundant parentheses;" and
// "The function is not allowed to be used this way in an expression; function: <f>",
// "The IN operator is provided with too many operands; number of operands: N";
// for updates, "The \"SET\" section can only be used once in an update expression;".
// The results depend only on the text, so they may be cached (expression_cache.h).
#pragma once

#include <string_view>

#include "expr/ast.h"

namespace jormun::expr {

// A ConditionExpression, FilterExpression or KeyConditionExpression (one
// grammar; `kind` only selects the message prefix).
// REQUIRES: kind is kCondition, kFilter or kKeyCondition.
Condition parse_condition(std::string_view text, ExpressionKind kind);

UpdateExpression parse_update(std::string_view text);

Projection parse_projection(std::string_view text);

}  // namespace jormun::expr
