// The one shape every single-item write has (PutItem, UpdateItem,
// DeleteItem, each write of BatchWriteItem): under the item's lock stripe,
// read the stored item if anything needs it, check the condition, compute the
// new item, write it in one batch. Every write takes the stripe, so the
// writes to one item are serialised.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "expr/ast.h"
#include "model/attribute_value.h"
#include "storage/table.h"

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

struct WriteOutcome {
  std::optional<model::Item> old_item;  // set only when read
  std::optional<model::Item> new_item;
};

// Throws ConditionalCheckFailedException when the condition is false.
WriteOutcome write_item(storage::Table& table, const std::string& key,
                        const ItemWrite& w);

}  // namespace jormun::ops
