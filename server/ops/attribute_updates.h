// The legacy AttributeUpdates parameter of UpdateItem, turned into the same
// resolved UpdateExpression an UpdateExpression gives, so one applier serves
// both: PUT -> SET a = v, DELETE -> REMOVE a (or DELETE a v with a set), ADD ->
// ADD a v (which, for AttributeUpdates only, also appends a list).
#pragma once

#include <rapidjson/document.h>

#include "expr/ast.h"

namespace jormun::ops {

// Throws ValidationException with DynamoDB's messages for a missing Value,
// a DELETE value that is not a set, or an ADD of a type other than N, L or a
// set.
expr::UpdateExpression update_from_attribute_updates(const rapidjson::Value& updates);

}  // namespace jormun::ops
