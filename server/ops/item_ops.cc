// PutItem, GetItem, DeleteItem.
#include "ops/item_ops.h"

#include "common/api_error.h"
#include "expr/projection.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "ops/capacity.h"
#include "ops/capacity_metrics.h"
#include "ops/expired_reads.h"
#include "ops/expression_params.h"
#include "ops/index_capacity.h"
#include "ops/item_collection_metrics.h"
#include "ops/item_key.h"
#include "ops/item_request.h"
#include "ops/item_write.h"

namespace jormun::ops {
namespace {

// PutItem and DeleteItem return at most the old item.
void only_all_old(ReturnValues rv) {
  if (rv != ReturnValues::kNone && rv != ReturnValues::kAllOld)
    throw ApiError::validation("ReturnValues can only be ALL_OLD or NONE");
}

}  // namespace

void put_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  CapacityDetail capacity = capacity_detail(p);
  ReturnValues rv = read_return_values(p);
  bool old_on_failure = read_old_on_failure(p);
  bool metrics = wants_collection_metrics(p);
  std::string table_name = p.item_table_name();
  const rapidjson::Value* item_json = required_object(p, "Item");
  p.check();
  only_all_old(rv);
  Expressions ex = read_expressions(p, kConditionParams);
  model::Item item = model::parse_item(*item_json);
  model::check_attribute_names(item);
  auto table = require_item_table(ctx, table_name);
  std::string key = key_from_item(table->schema(), item);
  size_t size = model::item_size(item);
  if (size > model::kMaxItemSize)
    throw ApiError::validation("Item size has exceeded the maximum allowed size");

  ItemWrite w;
  w.condition = ex.condition ? &*ex.condition : nullptr;
  w.old_item_on_failure = old_on_failure;
  // The write's cost needs no old item: staging learns its size, and reads
  // it whole when the table has indexes.
  w.needs_old = rv == ReturnValues::kAllOld;
  w.mutate = [&](const model::Item*) { return std::optional<model::Item>(item); };
  WriteOutcome done = write_item(*table, key, w);

  out.StartObject();
  if (rv == ReturnValues::kAllOld && done.old_item) write_attributes(*done.old_item, out);
  report_capacity(table_name, item_write_units(table->schema(), done), capacity, out);
  if (metrics) write_collection_metrics(*table, item, out);
  out.EndObject();
}

void get_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  out.StartObject();
  write_got_item(ctx, request, false, out);
  out.EndObject();
}

void write_got_item(Context& ctx, const rapidjson::Value& request, bool as_list,
                    model::JsonWriter& out) {
  Params p(request);
  CapacityDetail detail = capacity_detail(p);
  std::string table_name = p.item_table_name();
  const rapidjson::Value* key_json = required_object(p, "Key");
  bool consistent = p.boolean("ConsistentRead").value_or(false);
  p.check();
  Expressions ex = read_expressions(p, kProjectionParams);
  model::Item key_attrs = model::parse_item(*key_json);
  auto table = require_item_table(ctx, table_name);
  std::string key = key_from_key_param(table->schema(), key_attrs);
  // The stored form goes straight to JSON; only a projection needs the tree.
  // The buffer is the thread's, so an item costs no allocation to read.
  thread_local std::string stored;
  bool found = table->get_stored(key, &stored);
  if (found && hides_expired(ctx.config.ttl, table->schema()))
    found = !hidden_as_expired(ctx.config.ttl, table->schema(), model::decode_item(stored));

  size_t size = 0;
  if (as_list) {
    out.Key("Items");
    out.StartArray();
  }
  if (found) {
    if (!as_list) out.Key("Item");
    if (ex.projection) {
      model::write_item(expr::project(model::decode_item(stored), ex.projection->paths),
                        out);
      size = model::stored_item_size(stored);
    } else {
      size = model::write_stored_item_sized(stored, out);
    }
  }
  if (as_list) out.EndArray();
  count_returned_items("GetItem", table_name, found ? 1 : 0);
  TableUnits units;
  units.read = read_units(size, consistent);
  report_capacity(table_name, units, detail, out);
}

void delete_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  CapacityDetail capacity = capacity_detail(p);
  ReturnValues rv = read_return_values(p);
  bool old_on_failure = read_old_on_failure(p);
  bool metrics = wants_collection_metrics(p);
  std::string table_name = p.item_table_name();
  const rapidjson::Value* key_json = required_object(p, "Key");
  p.check();
  only_all_old(rv);
  Expressions ex = read_expressions(p, kConditionParams);
  model::Item key_attrs = model::parse_item(*key_json);
  auto table = require_item_table(ctx, table_name);
  std::string key = key_from_key_param(table->schema(), key_attrs);

  ItemWrite w;
  w.condition = ex.condition ? &*ex.condition : nullptr;
  w.old_item_on_failure = old_on_failure;
  w.needs_old = rv == ReturnValues::kAllOld;
  w.mutate = [](const model::Item*) { return std::optional<model::Item>(); };
  WriteOutcome done = write_item(*table, key, w);

  out.StartObject();
  if (rv == ReturnValues::kAllOld && done.old_item) write_attributes(*done.old_item, out);
  report_capacity(table_name, item_write_units(table->schema(), done), capacity, out);
  if (metrics) write_collection_metrics(*table, key_attrs, out);
  out.EndObject();
}

}  // namespace jormun::ops
