// DynamoDB's ordering of attribute values, used by <, <=, >, >=, BETWEEN and
// key conditions: numbers numerically, strings and binaries by unsigned byte
// order. No other type is ordered, and values of different types never are.
#pragma once

#include <optional>

#include "model/attribute_value.h"

namespace jormun::expr {

// True for the ordered types S, N and B.
bool is_ordered_type(model::Type t);

// <0, 0 or >0 if `a` and `b` have the same ordered type; nullopt otherwise.
std::optional<int> compare_ordered(const model::AttributeValue& a,
                                   const model::AttributeValue& b);

}  // namespace jormun::expr
