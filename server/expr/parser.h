// Parsing of DynamoDB expressions into syntax trees (phase one of three:
// parse, resolve, evaluate). The result still holds #name and :value
// placeholders as written; see resolver.h.
//
// Every function throws ApiError (ValidationException) "Invalid <Kind>: "
// followed by DynamoDB's text:
//   The expression can not be empty;
//   Expression size has exceeded the maximum allowed size; expression size: N
//   Syntax error; token: "<tok>", near: "<text>"
//   Attribute name is a reserved keyword; reserved keyword: <word>
//   Invalid function name; function: <name>
//   Incorrect number of operands for operator or function; ...
//   The document path has too many nesting levels; nesting levels: N
//   The expression contains too many operators; operator count: 301
// and, for conditions,
//   The expression has redundant parentheses;
//   The function is not allowed in a condition expression; function: <f>
//   The function is not allowed to be used this way in an expression; function: <f>
//   The IN operator is provided with too many operands; number of operands: N
// and, for updates,
//   The "SET" section can only be used once in an update expression;
//   The function is not allowed in an update expression; function: <f>
//   The function is not allowed to be used this way in an expression; function:
//   list_append
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
