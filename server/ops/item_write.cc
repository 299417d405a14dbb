#include "ops/item_write.h"

#include <rapidjson/stringbuffer.h>

#include "common/api_error.h"
#include "expr/evaluator.h"
#include "expr/update_applier.h"
#include "model/item_size.h"
#include "model/nesting.h"
#include "model/attribute_json.h"
#include "ops/item_key.h"

namespace jormun::ops {

[[noreturn]] void condition_failed(const model::Item* old, bool with_item) {
  ApiError e = ApiError::conditional_check_failed();
  if (!with_item || !old) throw e;
  rapidjson::StringBuffer buf;
  model::JsonWriter w(buf);
  model::write_item(*old, w);
  throw std::move(e).with_extra_json("\"Item\":" +
                                     std::string(buf.GetString(), buf.GetSize()));
}

Mutate update_mutation(const storage::TableSchema& schema,
                       const expr::UpdateExpression& update, const model::Item& key,
                       std::vector<expr::Path>* updated_paths) {
  std::vector<std::string> key_names{schema.partition_key.name};
  if (schema.sort_key) key_names.push_back(schema.sort_key->name);
  expr::check_key_attributes_untouched(update, key_names);
  // DynamoDB creates no item for REMOVE or DELETE alone; an update without
  // actions (no UpdateExpression, or AttributeUpdates {}) creates one.
  const bool only_removes =
      !update.clause_order.empty() && update.set.empty() && update.add.empty();
  return [&update, &key, updated_paths,
          only_removes](const model::Item* old) -> std::optional<model::Item> {
    if (!old && only_removes) return std::nullopt;
    expr::UpdateResult r = expr::apply_update(update, old, key);
    model::check_attribute_names(r.item);
    if (model::item_size(r.item) > model::kMaxItemSize)
      throw ApiError::validation("Item size to update has exceeded the maximum allowed size");
    // A SET into a nested path can push a value that was within the limit
    // on its own past it. expr's own check counts only containers and so
    // lets one level more through; this is DynamoDB's count.
    if (model::exceeds_nesting_limit(r.item))
      throw ApiError::validation(model::kNestingTooDeep);
    *updated_paths = std::move(r.updated_paths);
    return std::move(r.item);
  };
}

storage::Mutation to_mutation(storage::Table& table, const ItemWrite& w) {
  storage::Mutation m;
  m.needs_old = w.condition || w.needs_old;
  m.decide = [&table, &w](const model::Item* old) {
    if (w.condition && !expr::evaluate(*w.condition, old))
      condition_failed(old, w.old_item_on_failure);
    std::optional<model::Item> item = w.mutate(old);
    // The stage holds the table's schema gate: this is the schema the
    // item's index entries are computed with.
    if (item) check_index_key_types(table.schema(), *item);
    return item;
  };
  return m;
}

WriteOutcome write_item(storage::Table& table, const std::string& key,
                        const ItemWrite& w) {
  try {
    return storage::retry_conflicts([&] {
      storage::WriteSet set;
      WriteOutcome out = set.stage(table, key, to_mutation(table, w));
      set.commit();
      return out;
    });
  } catch (const storage::LockTimeout&) {
    throw ApiError("TransactionConflictException", kTransactionOngoing);
  } catch (const storage::WriteConflict&) {
    // Another front end kept changing the item (docs/architecture.md says
    // why this error).
    throw ApiError("TransactionConflictException", kTransactionOngoing);
  }
}

}  // namespace jormun::ops
