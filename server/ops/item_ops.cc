// PutItem, GetItem, DeleteItem.
#include "ops/item_ops.h"

#include "common/api_error.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "ops/capacity.h"
#include "ops/item_key.h"
#include "ops/params.h"

namespace jormun::ops {
namespace {

std::shared_ptr<storage::Table> require_table(Context& ctx, const std::string& name) {
  auto table = ctx.catalog.find(name);
  if (!table) throw ApiError::resource_not_found("Requested resource not found");
  return table;
}

// ReturnValues for PutItem and DeleteItem: NONE or ALL_OLD.
bool wants_old(Params& p) {
  auto v = p.string("ReturnValues");
  p.one_of(v, "returnValues", {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"});
  p.check();
  if (v && *v != "NONE" && *v != "ALL_OLD")
    throw ApiError::validation("ReturnValues can only be ALL_OLD or NONE");
  return v && *v == "ALL_OLD";
}

const rapidjson::Value& required_object(Params& p, const char* member) {
  const rapidjson::Value* v = p.object(member);
  p.not_null(v, lower_first(member));
  p.check();
  return *v;
}

}  // namespace

void put_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  bool capacity = wants_capacity(p);
  std::string table_name = p.table_name();
  const rapidjson::Value& item_json = required_object(p, "Item");
  bool return_old = wants_old(p);
  model::Item item = model::parse_item(item_json);
  auto table = require_table(ctx, table_name);
  std::string key = key_from_item(table->schema(), item);
  size_t size = model::item_size(item);
  if (size > model::kMaxItemSize)
    throw ApiError::validation("Item size has exceeded the maximum allowed size");

  host::WriteBatch batch;
  batch.put(table->items(), key, model::encode_item(item));
  std::optional<model::Item> old;
  if (return_old) {
    auto guard = table->locks().lock(key);
    old = table->get(key);
    table->write(batch);
  } else {
    table->write(batch);
  }
  out.StartObject();
  if (old) {
    out.Key("Attributes");
    model::write_item(*old, out);
  }
  if (capacity) {
    size_t old_size = old ? model::item_size(*old) : 0;
    write_capacity(table_name, write_units(std::max(size, old_size)), out);
  }
  out.EndObject();
}

void get_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  bool capacity = wants_capacity(p);
  std::string table_name = p.table_name();
  const rapidjson::Value& key_json = required_object(p, "Key");
  bool consistent = p.boolean("ConsistentRead").value_or(false);
  model::Item key_attrs = model::parse_item(key_json);
  auto table = require_table(ctx, table_name);
  std::string key = key_from_key_param(table->schema(), key_attrs);
  std::optional<model::Item> item = table->get(key);

  out.StartObject();
  if (item) {
    out.Key("Item");
    model::write_item(*item, out);
  }
  if (capacity)
    write_capacity(table_name, read_units(item ? model::item_size(*item) : 0, consistent),
                   out);
  out.EndObject();
}

void delete_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  bool capacity = wants_capacity(p);
  std::string table_name = p.table_name();
  const rapidjson::Value& key_json = required_object(p, "Key");
  bool return_old = wants_old(p);
  model::Item key_attrs = model::parse_item(key_json);
  auto table = require_table(ctx, table_name);
  std::string key = key_from_key_param(table->schema(), key_attrs);

  host::WriteBatch batch;
  batch.del(table->items(), key);
  std::optional<model::Item> old;
  if (return_old) {
    auto guard = table->locks().lock(key);
    old = table->get(key);
    table->write(batch);
  } else {
    table->write(batch);
  }
  out.StartObject();
  if (old) {
    out.Key("Attributes");
    model::write_item(*old, out);
  }
  if (capacity)
    write_capacity(table_name, write_units(old ? model::item_size(*old) : 0), out);
  out.EndObject();
}

}  // namespace jormun::ops
