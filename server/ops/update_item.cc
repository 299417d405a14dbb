// UpdateItem: UpdateExpression or AttributeUpdates, with conditions and every
// ReturnValues. Creates the item when it does not exist, unless every action
// of the update removes something.
#include "ops/update_item.h"

#include "common/api_error.h"
#include "expr/projection.h"
#include "expr/update_applier.h"
#include "model/item_size.h"
#include "model/nesting.h"
#include "ops/capacity.h"
#include "ops/expression_params.h"
#include "ops/item_key.h"
#include "ops/item_request.h"
#include "ops/item_write.h"

namespace jormun::ops {

void update_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  bool capacity = wants_capacity(p);
  ReturnValues rv = read_return_values(p);
  bool old_on_failure = read_old_on_failure(p);
  std::string table_name = p.table_name();
  const rapidjson::Value* key_json = required_object(p, "Key");
  p.check();
  Expressions ex = read_expressions(p, kConditionParams | kUpdateParams);
  model::Item key_attrs = model::parse_item(*key_json);
  auto table = require_item_table(ctx, table_name);
  const storage::TableSchema& schema = table->schema();
  std::string key = key_from_key_param(schema, key_attrs);
  expr::UpdateExpression update =
      ex.update ? std::move(*ex.update) : expr::UpdateExpression{};
  std::vector<std::string> key_names{schema.partition_key.name};
  if (schema.sort_key) key_names.push_back(schema.sort_key->name);
  expr::check_key_attributes_untouched(update, key_names);

  // DynamoDB creates no item for REMOVE or DELETE alone; an update without
  // actions (no UpdateExpression, or AttributeUpdates {}) creates one.
  const bool only_removes =
      !update.clause_order.empty() && update.set.empty() && update.add.empty();
  std::vector<expr::Path> updated_paths;
  ItemWrite w;
  w.condition = ex.condition ? &*ex.condition : nullptr;
  w.old_item_on_failure = old_on_failure;
  w.needs_old = true;
  w.mutate = [&](const model::Item* old) -> std::optional<model::Item> {
    if (!old && only_removes) return std::nullopt;
    expr::UpdateResult r = expr::apply_update(update, old, key_attrs);
    model::check_attribute_names(r.item);
    if (model::item_size(r.item) > model::kMaxItemSize)
      throw ApiError::validation("Item size to update has exceeded the maximum allowed size");
    // A SET into a nested path can push a value that was within the limit
    // on its own past it. expr's own check counts only containers and so
    // lets one level more through; this is DynamoDB's count.
    if (model::exceeds_nesting_limit(r.item))
      throw ApiError::validation(model::kNestingTooDeep);
    updated_paths = std::move(r.updated_paths);
    return std::move(r.item);
  };
  WriteOutcome done = write_item(*table, key, w);

  out.StartObject();
  switch (rv) {
    case ReturnValues::kNone:
      break;
    case ReturnValues::kAllOld:
      if (done.old_item) write_attributes(*done.old_item, out);
      break;
    case ReturnValues::kUpdatedOld:
      if (done.old_item)
        write_attributes(expr::project(*done.old_item, updated_paths), out);
      break;
    case ReturnValues::kAllNew:
      if (done.new_item) write_attributes(*done.new_item, out);
      break;
    case ReturnValues::kUpdatedNew:
      if (done.new_item)
        write_attributes(expr::project(*done.new_item, updated_paths), out);
      break;
  }
  if (capacity) {
    size_t size = done.new_item ? model::item_size(*done.new_item) : 0;
    if (done.old_item) size = std::max(size, model::item_size(*done.old_item));
    write_capacity(table_name, write_units(size), out);
  }
  out.EndObject();
}

}  // namespace jormun::ops
