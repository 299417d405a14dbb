// Applying a ProjectionExpression (or any list of paths, such as the paths an
// update touched) to an item.
#pragma once

#include <vector>

#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

// The parts of `item` that `paths` select, in DynamoDB's shape: maps keep the
// selected keys; lists keep the selected elements in index order, packed
// (projecting a[1] of a three-element list gives a one-element list). Paths
// that do not exist in the item select nothing.
// REQUIRES: no path is a prefix of another (the resolver ensures this).
model::Item project(const model::Item& item, const std::vector<Path>& paths);

}  // namespace jormun::expr
