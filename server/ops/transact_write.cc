// TransactWriteItems. Every action is read and checked before any table is
// touched (a bad request changes nothing); then all are staged in one write
// set in the lock order, each condition evaluated under the locks; one
// failed action cancels the whole transaction with a reason per action;
// else one commit writes them all.
#include <openssl/evp.h>

#include <algorithm>
#include <map>

#include "common/api_error.h"
#include "expr/evaluator.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "ops/cluster_limits.h"
#include "ops/capacity.h"
#include "ops/capacity_metrics.h"
#include "ops/expression_params.h"
#include "ops/index_capacity.h"
#include "ops/item_collection_metrics.h"
#include "ops/item_key.h"
#include "ops/item_request.h"
#include "ops/item_write.h"
#include "ops/transaction_request.h"
#include "ops/transactions.h"
#include "storage/write_set.h"

namespace jormun::ops {
namespace {

struct Action {
  enum Kind { kCheck, kPut, kDelete, kUpdate } kind;
  std::string table_name;
  ActionTarget target;
  Expressions ex;
  expr::UpdateExpression update;
  model::Item item;  // Put: the item; the others: the key
  size_t size = 0;   // of the item written, for capacity
  // The stored item before (read when the table has indexes) and after:
  // what the write changes in each index.
  storage::Staged staged;
  std::vector<expr::Path> updated_paths;
  ItemWrite write;
};

constexpr const char* kOneAction =
    "TransactItems can only contain one of Check, Put, Update or Delete";

// Reads action `i`: its members, expressions and key attributes; the table
// is looked up later, once every action has been read.
Action read_action(Params& top, const rapidjson::Value& json, size_t i) {
  auto [kind, body] = one_action(json, {"ConditionCheck", "Put", "Delete", "Update"},
                                 kOneAction);
  const std::string kind_name(kind);
  Action a;
  a.kind = kind_name == "ConditionCheck" ? Action::kCheck
           : kind_name == "Put"          ? Action::kPut
           : kind_name == "Delete"       ? Action::kDelete
                                         : Action::kUpdate;
  Params p(*body);
  const std::string path = "transactItems." + std::to_string(i + 1) + ".member." +
                           lower_first(kind_name) + ".";
  const rapidjson::Value* item_or_key = p.object(a.kind == Action::kPut ? "Item" : "Key");
  top.not_null(item_or_key, path + (a.kind == Action::kPut ? "item" : "key"));
  a.table_name = action_table_name(top, p, path + "tableName");
  if (a.kind == Action::kCheck)
    top.not_null(p.string("ConditionExpression") ? body : nullptr,
                 path + "conditionExpression");
  if (a.kind == Action::kUpdate)
    top.not_null(p.string("UpdateExpression") ? body : nullptr, path + "updateExpression");
  a.write.old_item_on_failure = read_old_on_failure(p);
  p.check();
  top.check();
  a.ex = read_expressions(p, a.kind == Action::kUpdate ? kConditionParams | kUpdateParams
                                                       : unsigned{kConditionParams});
  a.item = model::parse_item(*item_or_key);
  if (a.kind == Action::kPut) {
    model::check_attribute_names(a.item);
    a.size = model::item_size(a.item);
    if (a.size > model::kMaxItemSize)
      throw ApiError::validation("Item size has exceeded the maximum allowed size");
  }
  if (a.ex.update) a.update = std::move(*a.ex.update);
  return a;
}

// The request's fingerprint for its ClientRequestToken: the SHA-256 of its
// TransactItems as sent.
std::string fingerprint(const rapidjson::Value& items) {
  rapidjson::StringBuffer buf;
  model::JsonWriter w(buf);
  items.Accept(w);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(buf.GetString(), buf.GetSize(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

// A token used within its life by another request.
[[noreturn]] void throw_token_mismatch() {
  // The API reference's description of the error: its message on the wire
  // is not confirmed (docs/transactions.md).
  throw ApiError("IdempotentParameterMismatchException",
                 "DynamoDB rejected the request because you retried a request with a "
                 "different payload but with an idempotent token that was already used.");
}

// The item an action reads under its lock and the reason it fails, if it
// does. Only ApiErrors a client caused become reasons; anything else is a
// fault of the server and cancels the request as such.
CancellationReason stage(storage::WriteSet& set, Action& a) {
  CancellationReason reason;
  storage::Table& table = *a.target.table;
  try {
    if (a.kind == Action::kCheck) {
      std::string stored;
      std::optional<model::Item> old;
      if (set.read(table, a.target.key, &stored)) old = model::decode_item(stored);
      if (!expr::evaluate(*a.ex.condition, old ? &*old : nullptr))
        condition_failed(old ? &*old : nullptr, a.write.old_item_on_failure);
      return reason;
    }
    storage::Staged s = set.stage(table, a.target.key, to_mutation(table, a.write));
    if (a.kind == Action::kUpdate) {
      a.size = s.new_item ? model::item_size(*s.new_item) : 0;
      if (s.old_item) a.size = std::max(a.size, model::item_size(*s.old_item));
    } else if (a.kind == Action::kDelete) {
      a.size = s.old_item ? model::item_size(*s.old_item) : 0;
    }
    a.staged = std::move(s);
  } catch (const storage::LockTimeout&) {
    reason.code = "TransactionConflict";
    reason.message = kTransactionOngoing;
  } catch (const ApiError& e) {
    if (e.type() == "ConditionalCheckFailedException") {
      reason.code = "ConditionalCheckFailed";
      reason.item_json = e.extra_json();
    } else if (e.type() == "ValidationException") {
      reason.code = "ValidationError";
    } else {
      throw;
    }
    reason.message = e.message();
  }
  return reason;
}

// ConsumedCapacity: a transactional write costs twice a standard one, on
// the table and on each index whose entry it changes (add_index_writes); a
// ConditionCheck costs what a write of its item would. A replay of a
// committed token writes nothing and costs a transactional read of each item
// instead.
void report_capacity_list(const std::vector<Action>& actions, CapacityDetail detail,
                          bool replay, model::JsonWriter& out) {
  std::map<std::string, TableUnits> units;
  for (const auto& a : actions) {
    TableUnits& u = units[a.table_name];
    if (replay) {
      u.read += 2 * read_units(a.size, true);
      continue;
    }
    const double cost = 2 * write_units(a.size);
    u.write += cost;
    if (a.kind == Action::kCheck) continue;
    const storage::Staged& s = a.staged;
    add_index_writes(a.target.table->schema(), s.old_item ? &*s.old_item : nullptr,
                     s.new_item ? &*s.new_item : nullptr, u, 2);
  }
  report_capacity_list(units, detail, UnitsShape::kSplit, out);
}

}  // namespace

void transact_write_items(Context& ctx, const rapidjson::Value& request,
                          model::JsonWriter& out) {
  Params p(request);
  const rapidjson::Value* items = read_transact_items(p);
  const CapacityDetail capacity = capacity_detail(p);
  const bool metrics = wants_collection_metrics(p);
  auto token_param = p.string("ClientRequestToken");
  if (token_param) p.length_between(*token_param, "clientRequestToken", 1, 36);
  p.check();

  std::vector<Action> actions;
  actions.reserve(items->Size());
  size_t total = 0;
  for (size_t i = 0; i < items->Size(); ++i) {
    actions.push_back(read_action(p, (*items)[i], i));
    total += actions.back().size;
  }
  if (total > kMaxTransactBytes)
    throw ApiError::validation("Transaction payload size cannot exceed 4MB");
  for (auto& a : actions) a.target.table = require_item_table(ctx, a.table_name);
  std::vector<CancellationReason> reasons(actions.size());
  std::vector<ActionTarget> targets;
  for (size_t i = 0; i < actions.size(); ++i) {
    Action& a = actions[i];
    key_or_reason(a.target, reasons[i], [&](const storage::TableSchema& schema) {
      return a.kind == Action::kPut ? key_from_item(schema, a.item)
                                    : key_from_key_param(schema, a.item);
    });
    targets.push_back(a.target);
  }
  const std::vector<size_t> order = lock_order(targets);
  for (auto& a : actions) {
    a.write.condition = a.ex.condition ? &*a.ex.condition : nullptr;
    switch (a.kind) {
      case Action::kPut:
        a.write.mutate = [&a](const model::Item*) { return std::optional(a.item); };
        break;
      case Action::kDelete:
        a.write.mutate = [](const model::Item*) { return std::optional<model::Item>(); };
        break;
      case Action::kUpdate:
        a.write.needs_old = true;
        a.write.mutate =
            update_mutation(a.target.table->schema(), a.update, a.item, &a.updated_paths);
        break;
      case Action::kCheck:
        break;
    }
  }

  // A token used before answers as the first use did; a new one is held
  // until this request ends.
  storage::TransactionTokens& tokens = ctx.catalog.transaction_tokens();
  const std::string token = token_param ? std::string(*token_param) : "";
  const std::string print = token.empty() ? "" : fingerprint(*items);
  bool replay = false;
  if (!token.empty()) {
    // A token of an earlier run is loaded at its table's first use in this
    // one, and lives in one of the tables the same request names: use each
    // once before looking it up.
    for (const auto& a : actions) a.target.table->lease();
    switch (tokens.claim(token, print)) {
      case storage::TransactionTokens::Seen::kNew:
        break;
      case storage::TransactionTokens::Seen::kCommitted:
        replay = true;
        break;
      case storage::TransactionTokens::Seen::kOtherRequest:
        throw_token_mismatch();
      case storage::TransactionTokens::Seen::kInProgress:
        throw ApiError("TransactionInProgressException",
                       "Transaction from previous request is still in progress");
    }
  }
  // Staged and committed again, reading again, while another process
  // sharing a table's database wins the race (storage::retry_conflicts).
  // In a cluster the front end's own transaction log would make a write
  // over several tables atomic for this process only: there the engine
  // writes them as one, or the set is NotJoinable.
  storage::TransactionLog* log =
      ctx.catalog.clustered() ? nullptr : &ctx.catalog.transaction_log();
  auto attempt = [&] {
    storage::WriteSet set(log);
    for (size_t i : order) reasons[i] = stage(set, actions[i]);
    // A failed condition may be the doing of the token's first commit, so
    // it waits for the token's record below; any other reason cancels now
    // (a key that did not match, or a lock not taken, leaves nothing to
    // look the record up in).
    if (!std::all_of(reasons.begin(), reasons.end(), [](const CancellationReason& r) {
          return r.code.empty() || r.code == "ConditionalCheckFailed";
        }))
      cancel_if_any(reasons);
    // The token goes with the writes, into a table the transaction writes
    // (a ConditionCheck's table alone would make it a second batch).
    std::shared_ptr<storage::Table> home = actions[order.front()].target.table;
    for (size_t i : order)
      if (actions[i].kind != Action::kCheck) {
        home = actions[i].target.table;
        break;
      }
    // Before the conditions: what the first commit did may fail them now.
    if (!token.empty())
      if (auto record = set.read_record(*home, storage::TransactionTokens::kRecordKind, token))
        switch (storage::TransactionTokens::judge(*record, print)) {
          case storage::TransactionTokens::Seen::kCommitted:
            // Another process sharing the tables committed it.
            replay = true;
            return;
          case storage::TransactionTokens::Seen::kOtherRequest:
            throw_token_mismatch();
          default:
            break;
        }
    cancel_if_any(reasons);
    std::string record_key;
    if (!token.empty())
      record_key = set.stage_record(*home, storage::TransactionTokens::kRecordKind, token,
                                    storage::TransactionTokens::record_value(print));
    set.commit();
    if (!token.empty()) tokens.finish(token, print, home, std::move(record_key));
  };
  if (!replay) {
    try {
      try {
        storage::retry_conflicts(attempt);
      } catch (const storage::WriteConflict&) {
        // The engine does not say which item changed: every item is given
        // as the conflict (docs/architecture.md).
        for (size_t i : order) reasons[i] = {"TransactionConflict", kTransactionOngoing, ""};
        cancel_if_any(reasons);
      } catch (const storage::NotJoinable&) {
        refuse_in_cluster(ctx, "A transaction over tables that their engine cannot write "
                               "together");
        throw;
      }
    } catch (...) {
      if (!token.empty()) tokens.abandon(token);
      throw;
    }
    // Found committed by another process: this one's claim ends unused.
    if (replay) tokens.abandon(token);
  }

  out.StartObject();
  report_capacity_list(actions, capacity, replay, out);
  if (metrics) {
    CollectionsWritten collections;
    for (const Action& a : actions)
      if (a.kind != Action::kCheck) collections.add(a.target.table, a.item);
    collections.write(out);
  }
  out.EndObject();
}

}  // namespace jormun::ops
