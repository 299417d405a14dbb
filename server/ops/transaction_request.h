// What TransactWriteItems and TransactGetItems share: the TransactItems
// list, the order actions are staged in, and the cancellation a failed
// action makes of the whole transaction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ops/params.h"
#include "storage/table.h"

namespace jormun::ops {

inline constexpr size_t kMaxTransactItems = 100;
// DynamoDB's limit on a transaction's items, together.
inline constexpr size_t kMaxTransactBytes = 4 * 1024 * 1024;

// TransactItems: required, 1..100 actions (collected as violations).
const rapidjson::Value* read_transact_items(Params& p);

// The one member of action `action` (index `i`, from 0) that is set among
// `kinds`; ValidationException when none or several are.
std::pair<const char*, const rapidjson::Value*> one_action(
    const rapidjson::Value& action, std::initializer_list<const char*> kinds,
    const char* refusal);

// One action's item, for ordering and for its cancellation reason.
struct ActionTarget {
  std::shared_ptr<storage::Table> table;
  std::string key;
};
// The actions' indexes in the lock order (storage::WriteSet::precedes);
// ValidationException "Transaction request cannot include multiple
// operations on one item" when two name the same item.
std::vector<size_t> lock_order(const std::vector<ActionTarget>& targets);

// A cancellation reason: Code None when the action would have succeeded.
struct CancellationReason {
  std::string code = "None";
  std::string message;
  std::string item_json;  // "Item":{...} for ALL_OLD, or empty
};
// Throws TransactionCanceledException with `reasons` in request order,
// unless every code is None.
void cancel_if_any(const std::vector<CancellationReason>& reasons);

}  // namespace jormun::ops
