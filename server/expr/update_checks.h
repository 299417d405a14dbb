// Internal to expr/: the checks of a resolved UpdateExpression that need its
// :values.
#pragma once

#include "expr/ast.h"

namespace jormun::expr {

// Throws "Invalid UpdateExpression: Incorrect operand type for operator or
// function; operator: ADD, operand type: STRING, typeSet:
// ALLOWED_FOR_ADD_OPERAND" (ADD takes a number or a set, DELETE a set:
// ALLOWED_FOR_DELETE_OPERAND), then "...; operator or function: +, operand
// type: S" for a :value that +, - or list_append cannot take.
void check_update_operands(const UpdateExpression& resolved);

}  // namespace jormun::expr
