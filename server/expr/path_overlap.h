// Internal to expr/: DynamoDB's rule that the paths of one UpdateExpression
// or ProjectionExpression must be independent of each other.
#pragma once

#include <vector>

#include "expr/ast.h"

namespace jormun::expr {

// Throws "Invalid <Kind>: Two document paths overlap with each other; must
// remove or rewrite one of these paths; path one: [a, b], path two: [a, b, c]"
// if one path is a prefix of another (overlaps are reported before
// conflicts), else "... Two document paths conflict with each other; ..." if
// two paths part where one has a name and the other a list index. Path one
// is the one written first.
void check_paths_independent(const std::vector<const Path*>& paths, ExpressionKind kind);

}  // namespace jormun::expr
