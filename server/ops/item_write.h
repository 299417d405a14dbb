// The one shape every single-item write has (PutItem, UpdateItem,
// DeleteItem, each write of BatchWriteItem), on storage's write path
// (storage/write_set.h): under the item's lock stripe, read the stored item
// if anything needs it, check the condition, compute the new item, commit it
// with its index entries in one batch.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "expr/ast.h"
#include "model/attribute_value.h"
#include "storage/table.h"
#include "storage/write_set.h"

namespace jormun::ops {

struct ItemWrite {
  // ConditionExpression or Expected, resolved; null when absent.
  const expr::Condition* condition = nullptr;
  // ReturnValuesOnConditionCheckFailure=ALL_OLD: a failed condition carries
  // the stored item in the error.
  bool old_item_on_failure = false;
  // The caller needs the stored item (ReturnValues, or `mutate` reads it).
  bool needs_old = false;
  // The item to store given the stored one (null if absent); nullopt
  // deletes it. May throw ApiError; then nothing is written.
  std::function<std::optional<model::Item>(const model::Item* old)> mutate;
};

// The stored item (when read) and the new one.
using WriteOutcome = storage::Staged;

// Stages `w` in a write set of its own and commits it: the condition is
// evaluated against the stored item (ConditionalCheckFailedException when
// false) and the new item's index keys are checked (check_index_key_types);
// either failure writes nothing.
WriteOutcome write_item(storage::Table& table, const std::string& key,
                        const ItemWrite& w);

}  // namespace jormun::ops
