// The one shape every single-item write has (PutItem, UpdateItem,
// DeleteItem, each write of BatchWriteItem), on storage's write path
// (storage/write_set.h): under the item's lock stripe, read the stored item
// if anything needs it, check the condition, compute the new item, commit it
// with its index entries in one batch.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

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

// What a failed condition throws: ConditionalCheckFailedException, with the
// stored item when ReturnValuesOnConditionCheckFailure asked for it.
[[noreturn]] void condition_failed(const model::Item* old, bool with_item);

// The stored item (when read) and the new one.
using WriteOutcome = storage::Staged;

// The mutation of an update (UpdateItem, a transaction's Update): `update`
// applied to the stored item, or to a new one made of `key` (none when every
// action only removes), with DynamoDB's checks of the result. Refuses at
// once (ValidationException) an update that touches a key attribute.
// `updated_paths` receives the paths the update set, for ReturnValues.
// `update` and `key` must outlive the mutation.
using Mutate = std::function<std::optional<model::Item>(const model::Item* old)>;
Mutate update_mutation(const storage::TableSchema& schema,
                       const expr::UpdateExpression& update, const model::Item& key,
                       std::vector<expr::Path>* updated_paths);

// DynamoDB's text for an item a transaction holds: a single write's
// TransactionConflictException, a transaction's TransactionConflict reason.
inline constexpr const char* kTransactionOngoing = "Transaction is ongoing for the item";

// `w` as storage's write path takes it: the condition is evaluated against
// the stored item (ConditionalCheckFailedException when false), then the new
// item computed and its index keys checked (check_index_key_types). `table`
// and `w` must outlive it.
storage::Mutation to_mutation(storage::Table& table, const ItemWrite& w);

// Stages `w` (to_mutation) in a write set of its own and commits it: the condition is
// evaluated against the stored item (ConditionalCheckFailedException when
// false) and the new item's index keys are checked (check_index_key_types);
// either failure writes nothing. An item whose lock is held past
// storage::WriteSet::kLockWait (a transaction on it, a stuck disk) is
// TransactionConflictException, and so is an item another process sharing
// the table's database kept changing under storage::retry_conflicts.
WriteOutcome write_item(storage::Table& table, const std::string& key,
                        const ItemWrite& w);

}  // namespace jormun::ops
