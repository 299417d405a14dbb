// Reading a document path out of an item.
#pragma once

#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

// The value at `path` in `item`, or nullptr if any step is missing: an absent
// attribute or key, an index past the end, or a step into the wrong type.
// The pointer is valid while `item` is unchanged.
const model::AttributeValue* find_path(const model::Item& item, const Path& path);

}  // namespace jormun::expr
