// What TransactWriteItems and TransactGetItems share: the TransactItems
// list, the order actions are staged in, and the cancellation a failed
// action makes of the whole transaction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/api_error.h"
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

// A cancellation reason: Code None when the action would have succeeded.
struct CancellationReason {
  std::string code = "None";
  std::string message;
  std::string item_json;  // "Item":{...} for ALL_OLD, or empty
};

// An action's TableName (in `action`), its constraints recorded in `top` at
// `path` (as "transactItems.1.member.put.tableName"); empty when absent.
std::string action_table_name(Params& top, const Params& action, const std::string& path);

// One action's item, for ordering and for its cancellation reason.
struct ActionTarget {
  std::shared_ptr<storage::Table> table;
  std::string key;  // empty when the action's key was refused
};

// `target.key` from `make_key` (ops/item_key.h). DynamoDB refuses a whole
// request for an empty key value, but makes any other key it cannot use
// (missing, of another type, not the schema's) the action's cancellation
// reason (ValidationError): then `reason` says so and the key stays empty.
template <typename MakeKey>
void key_or_reason(ActionTarget& target, CancellationReason& reason, MakeKey make_key);

// The indexes of the actions with a key, in the lock order
// (storage::WriteSet::precedes); ValidationException "Transaction request
// cannot include multiple operations on one item" when two name the same
// item.
std::vector<size_t> lock_order(const std::vector<ActionTarget>& targets);
// Throws TransactionCanceledException with `reasons` in request order,
// unless every code is None.
void cancel_if_any(const std::vector<CancellationReason>& reasons);

// Whether a key error is a cancellation reason rather than the request's.
bool key_error_is_reason(const ApiError& e);

template <typename MakeKey>
void key_or_reason(ActionTarget& target, CancellationReason& reason, MakeKey make_key) {
  try {
    target.key = make_key(target.table->schema());
  } catch (const ApiError& e) {
    if (!key_error_is_reason(e)) throw;
    reason.code = "ValidationError";
    reason.message = e.message();
  }
}

}  // namespace jormun::ops
