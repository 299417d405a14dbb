// UpdateItem: UpdateExpression or AttributeUpdates, with conditions and every
// ReturnValues. Creates the item when it does not exist, unless every action
// of the update removes something.
#include "ops/update_item.h"

#include "common/api_error.h"
#include "expr/projection.h"
#include "ops/capacity.h"
#include "ops/capacity_metrics.h"
#include "ops/expression_params.h"
#include "ops/index_capacity.h"
#include "ops/item_collection_metrics.h"
#include "ops/item_key.h"
#include "ops/item_request.h"
#include "ops/item_write.h"

namespace jormun::ops {

void update_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  CapacityDetail capacity = capacity_detail(p);
  ReturnValues rv = read_return_values(p);
  bool old_on_failure = read_old_on_failure(p);
  bool metrics = wants_collection_metrics(p);
  std::string table_name = p.item_table_name();
  const rapidjson::Value* key_json = required_object(p, "Key");
  p.check();
  Expressions ex = read_expressions(p, kConditionParams | kUpdateParams);
  model::Item key_attrs = model::parse_item(*key_json);
  auto table = require_item_table(ctx, table_name);
  const storage::TableSchema& schema = table->schema();
  std::string key = key_from_key_param(schema, key_attrs);
  expr::UpdateExpression update =
      ex.update ? std::move(*ex.update) : expr::UpdateExpression{};
  std::vector<expr::Path> updated_paths;
  ItemWrite w;
  w.condition = ex.condition ? &*ex.condition : nullptr;
  w.old_item_on_failure = old_on_failure;
  w.needs_old = true;
  w.mutate = update_mutation(schema, update, key_attrs, &updated_paths);
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
  report_capacity(table_name, item_write_units(schema, done), capacity, out);
  if (metrics) write_collection_metrics(*table, key_attrs, out);
  out.EndObject();
}

}  // namespace jormun::ops
