// Phase three for conditions: evaluating a resolved ConditionExpression or
// FilterExpression against an item, with DynamoDB's semantics. Evaluation
// never throws: every error DynamoDB raises for a condition depends only on
// the expression and was raised by the parser or the resolver.
//
//  - A comparison of values of different types is false (and <> is true).
//  - <, <=, >, >= and BETWEEN order only S, N and B; anything else is false.
//  - A missing attribute makes every comparison false except <>, which is true.
//  - size(): bytes of S (UTF-8) and B, elements of SS/NS/BS/L, entries of M;
//    a condition on the size of any other type, or of a missing one, is false.
//  - contains(): substring of S (or B), element of a set of the operand's
//    type, or element of a list equal to the operand.
//  - begins_with(): prefix of S or of B, same types only.
// The functions evaluate as their descriptors say (functions.h).
#pragma once

#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

// True if `item` satisfies `condition`. A null `item` is an absent item: every
// path is missing (so attribute_not_exists(pk) is true).
// REQUIRES: `condition` came from Resolver::resolve.
bool evaluate(const Condition& condition, const model::Item* item);

}  // namespace jormun::expr
