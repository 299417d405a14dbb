// Internal to expr/: the checks of a resolved condition that need its
// :values or resolved names (the parser made the others).
#pragma once

#include "expr/ast.h"

namespace jormun::expr {

// Throws "Invalid <Kind>: ..." with DynamoDB's message for: a function that
// needs a document path given something else; an operand whose type the
// operator or function cannot take (begins_with, attribute_type, size, the
// ordering comparators, BETWEEN); an unknown attribute_type name; equal path
// operands; BETWEEN bounds of different types or out of order.
void check_condition(const Condition& resolved, ExpressionKind kind);

}  // namespace jormun::expr
