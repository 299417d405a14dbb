// Phase three for updates: applying a resolved UpdateExpression to an item.
#pragma once

#include <string>
#include <vector>

#include "expr/ast.h"
#include "model/attribute_value.h"

namespace jormun::expr {

// DynamoDB's limit on how deeply lists and maps may nest inside an item.
inline constexpr size_t kMaxNestingDepth = 32;

struct UpdateResult {
  model::Item item;  // the item after the update
  // Every path the expression wrote or removed, as written. For ReturnValues
  // UPDATED_OLD / UPDATED_NEW, project the old / new item on these (see
  // projection.h). As in DynamoDB, a SET past the end of a list names an
  // index the new item lacks (so UPDATED_NEW shows nothing for it), and a
  // REMOVE of a list element names the element that moved into its place.
  std::vector<Path> updated_paths;
};

// Throws ValidationException "One or more parameter values were invalid:
// Cannot update attribute <k>. This attribute is
// part of the key" if any action's path starts at one of `key_names`.
// DynamoDB checks this before it reads the item.
void check_key_attributes_untouched(const UpdateExpression& update,
                                    const std::vector<std::string>& key_names);

// Applies `update` to a copy of `old_item`, or, if the item does not exist
// (nullptr), to a new item holding only `key` (its key attributes), which the
// expression may read. Every value is computed from that starting item, as
// DynamoDB does, then SET, REMOVE, ADD and DELETE are applied in that order.
// Throws ValidationException:
//   "The provided expression refers to an attribute that does not exist in the item"
//   "An operand in the update expression has an incorrect data type"
//     ("Type mismatch for attribute to update" for ADD and DELETE when the
//     update came from AttributeUpdates, whose ADD also appends lists)
//   "The document path provided in the update expression is invalid for update"
//   "Nesting Levels have exceeded supported limits: Attributes in the item have
//    nested levels beyond supported limit"
// and Decimal's overflow/underflow messages from + and -. A DELETE that
// empties a set removes the attribute; SET on a list index past the end
// appends (several such SETs on one list in the order of their indexes);
// REMOVE of a missing attribute, map key or list index does nothing, but REMOVE
// or DELETE under a missing attribute (a.b with no a) is an invalid path,
// unless the item does not exist at all, where DynamoDB ignores it.
// REQUIRES: `update` came from Resolver::resolve.
UpdateResult apply_update(const UpdateExpression& update, const model::Item* old_item,
                          const model::Item& key);

}  // namespace jormun::expr
