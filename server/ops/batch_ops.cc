// BatchGetItem and BatchWriteItem: many single-item reads or writes across
// tables. Every request in the batch is validated (tables, keys, sizes,
// duplicates) before anything is read or written, so bad input changes
// nothing. Each write is atomic on its own; the batch as a whole is not,
// as in DynamoDB.
#include "ops/batch_ops.h"

#include <map>
#include <set>

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

constexpr size_t kMaxGetKeys = 100;
constexpr size_t kMaxWriteRequests = 25;
// BatchGetItem answers at most 16 MB; the rest comes back as UnprocessedKeys.
constexpr size_t kMaxGetResponseBytes = 16 * 1024 * 1024;

// RequestItems: present and not empty (DynamoDB reports an empty map
// without echoing it, under the member's own name).
const rapidjson::Value& request_items(Params& p) {
  const rapidjson::Value* items = p.object("RequestItems");
  p.not_null(items, "requestItems");
  p.check();
  if (items->MemberCount() == 0) {
    p.violation("", "RequestItems", "Member must have length greater than or equal to 1");
    p.check();
  }
  return *items;
}

// The table names keying RequestItems, one constraint on the map however
// many break it, the map echoed as `shown`.
void check_table_names(Params& p, const rapidjson::Value& items,
                       const std::string& shown) {
  for (const auto& m : items.GetObject())
    if (!is_table_name({m.name.GetString(), m.name.GetStringLength()})) {
      p.violation(
          "'" + shown + "'", "requestItems",
          "Map keys must satisfy constraint: [Member must have length less than or "
          "equal to 255, Member must have length greater than or equal to 3, Member "
          "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]");
      return;
    }
}

[[noreturn]] void duplicates() {
  throw ApiError::validation("Provided list of item keys contains duplicates");
}

// DynamoDB echoes an offending list in a constraint message, rendering its
// elements as service objects whose identities differ on every call; we show
// a non-empty list as "[...]".
std::string shown(const rapidjson::Value& list) { return list.Empty() ? "[]" : "[...]"; }

// The table names, then each table's list of write requests (1..25), checked
// as constraints on the RequestItems map, echoed as Java prints it, before
// any table is looked up.
void check_write_lists(Params& p, const rapidjson::Value& items) {
  std::string map;
  for (const auto& m : items.GetObject()) {
    Params::expect_list(m.value);
    map += (map.empty() ? "" : ", ") + std::string(m.name.GetString()) + "=" +
           shown(m.value);
  }
  check_table_names(p, items, "{" + map + "}");
  for (const auto& m : items.GetObject())
    if (m.value.Empty() || m.value.Size() > kMaxWriteRequests)
      p.violation(
          "'{" + map + "}'", "requestItems",
          "Map value must satisfy constraint: [Member must have length less than or "
          "equal to 25, Member must have length greater than or equal to 1]");
  p.check();
}

// The table names (the map echoed as JSON), then each table's Keys: present,
// 1..100 of them (not echoed); collected before anything else.
void check_key_lists(Params& p, const rapidjson::Value& items) {
  rapidjson::StringBuffer json;
  model::JsonWriter writer(json);
  items.Accept(writer);
  check_table_names(p, items, json.GetString());
  for (const auto& m : items.GetObject()) {
    Params::expect_object(m.value);
    const rapidjson::Value* keys = Params(m.value).list("Keys");
    const std::string table(m.name.GetString(), m.name.GetStringLength());
    p.not_null(keys, "requestItems." + table + ".member.keys");
    const std::string path = "RequestItems." + table + ".member.Keys";
    if (keys && keys->Empty())
      p.violation("", path, "Member must have length greater than or equal to 1");
    if (keys && keys->Size() > kMaxGetKeys)
      p.violation("", path, "Member must have length less than or equal to 100");
  }
  p.check();
}

// A PutRequest's item names the table's key attributes with their types,
// else DynamoDB refuses it as a key that does not match (not with PutItem's
// "Missing the key" texts); then key_from_item's value checks.
std::string put_request_key(const storage::TableSchema& schema, const model::Item& item) {
  for (const auto* attr :
       {&schema.partition_key, schema.sort_key ? &*schema.sort_key : nullptr}) {
    if (!attr) continue;
    auto it = item.find(attr->name);
    if (it == item.end() || it->second.type() != attr->type)
      throw ApiError::validation("The provided key element does not match the schema");
  }
  return key_from_item(schema, item);
}

struct GetTable {
  std::string name;
  std::shared_ptr<storage::Table> table;
  const rapidjson::Value* json;  // KeysAndAttributes, echoed in UnprocessedKeys
  std::vector<std::pair<model::Item, const rapidjson::Value*>>
      requested;                  // Key, its JSON
  std::vector<std::string> keys;  // engine keys of `requested`
  Expressions ex;
  bool consistent = false;  // ConsistentRead, for the capacity it costs
};

void write_unprocessed(const GetTable& t, size_t from, model::JsonWriter& out) {
  out.Key(t.name.c_str());
  out.StartObject();
  for (const auto& m : t.json->GetObject()) {
    if (std::string_view(m.name.GetString()) == "Keys") continue;
    out.Key(m.name.GetString());
    m.value.Accept(out);
  }
  out.Key("Keys");
  out.StartArray();
  for (size_t i = from; i < t.requested.size(); ++i) t.requested[i].second->Accept(out);
  out.EndArray();
  out.EndObject();
}

}  // namespace

void batch_get_item(Context& ctx, const rapidjson::Value& request,
                    model::JsonWriter& out) {
  Params p(request);
  const CapacityDetail capacity = capacity_detail(p);
  const rapidjson::Value& items = request_items(p);
  check_key_lists(p, items);
  // DynamoDB finds duplicates and counts keys before it looks up any table.
  std::vector<GetTable> tables;
  size_t total = 0;
  for (const auto& m : items.GetObject()) {
    Params kaa(m.value);
    GetTable t{m.name.GetString(),
               nullptr,
               &m.value,
               {},
               {},
               read_expressions(kaa, kProjectionParams),
               kaa.boolean("ConsistentRead").value_or(false)};
    std::set<std::string> seen;
    for (const auto& k : kaa.list("Keys")->GetArray()) {
      model::Item key = model::parse_item(k);
      if (!seen.insert(model::encode_item(key)).second) duplicates();
      if (++total > kMaxGetKeys)
        throw ApiError::validation("Too many items requested for the BatchGetItem call");
      t.requested.emplace_back(std::move(key), &k);
    }
    tables.push_back(std::move(t));
  }
  for (auto& t : tables) {
    t.table = require_item_table(ctx, t.name);
    for (const auto& [key, json] : t.requested)
      t.keys.push_back(key_from_key_param(t.table->schema(), key));
  }

  out.StartObject();
  out.Key("Responses");
  out.StartObject();
  size_t bytes = 0;
  std::vector<std::pair<const GetTable*, size_t>> unprocessed;
  // Each key read costs what a GetItem of it would: the whole item, rounded
  // on its own; a missing one the minimum.
  std::map<std::string, TableUnits> units;
  for (const auto& t : tables) {
    out.Key(t.name.c_str());
    out.StartArray();
    size_t returned = 0;
    for (size_t i = 0; i < t.keys.size(); ++i) {
      if (bytes >= kMaxGetResponseBytes) {
        unprocessed.emplace_back(&t, i);
        break;
      }
      std::optional<model::Item> item = t.table->get(t.keys[i]);
      units[t.name].read += read_units(item ? model::item_size(*item) : 0, t.consistent);
      if (!item || hidden_as_expired(ctx.config.ttl, t.table->schema(), *item)) continue;
      model::Item shown =
          t.ex.projection ? expr::project(*item, t.ex.projection->paths) : *item;
      bytes += model::item_size(shown);
      model::write_item(shown, out);
      ++returned;
    }
    out.EndArray();
    count_returned_items("BatchGetItem", t.name, returned);
  }
  out.EndObject();
  out.Key("UnprocessedKeys");
  out.StartObject();
  for (const auto& [t, from] : unprocessed) write_unprocessed(*t, from, out);
  out.EndObject();
  report_capacity_list(units, capacity, UnitsShape::kTotalOnly, out);
  out.EndObject();
}

void batch_write_item(Context& ctx, const rapidjson::Value& request,
                      model::JsonWriter& out) {
  Params p(request);
  const CapacityDetail capacity = capacity_detail(p);
  const bool metrics = wants_collection_metrics(p);
  const rapidjson::Value& items = request_items(p);
  struct Write {
    std::string_view table_name;  // as the request names it
    std::shared_ptr<storage::Table> table;
    std::string key;
    std::optional<model::Item> item;  // nullopt: delete
    model::Item deleted_key;          // a delete's Key
  };
  check_write_lists(p, items);
  size_t total = 0;
  for (const auto& m : items.GetObject()) total += m.value.Size();
  if (total > kMaxWriteRequests)
    throw ApiError::validation("Too many items requested for the BatchWriteItem call");
  std::vector<Write> writes;
  for (const auto& m : items.GetObject()) {
    auto table = require_item_table(ctx, m.name.GetString());
    std::set<std::string> seen;
    for (const auto& wr : m.value.GetArray()) {
      Params::expect_object(wr);
      Params w(wr);
      const rapidjson::Value* put = w.object("PutRequest");
      const rapidjson::Value* del = w.object("DeleteRequest");
      if ((put != nullptr) == (del != nullptr))
        throw ApiError::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain "
            "exactly one "
            "of the supported datatypes");
      Write write{m.name.GetString(), table, {}, std::nullopt, {}};
      if (put) {
        Params pr(*put);
        const rapidjson::Value* item = required_object(pr, "Item");
        pr.check();
        write.item = model::parse_item(*item);
        model::check_attribute_names(*write.item);
        write.key = put_request_key(table->schema(), *write.item);
        check_index_key_types(table->schema(), *write.item);
        if (model::item_size(*write.item) > model::kMaxItemSize)
          throw ApiError::validation("Item size has exceeded the maximum allowed size");
      } else {
        Params dr(*del);
        const rapidjson::Value* key = required_object(dr, "Key");
        dr.check();
        write.deleted_key = model::parse_item(*key);
        write.key = key_from_key_param(table->schema(), write.deleted_key);
      }
      if (!seen.insert(write.key).second) duplicates();
      writes.push_back(std::move(write));
    }
  }
  CollectionsWritten collections;
  std::map<std::string, TableUnits> units;
  for (auto& w : writes) {
    ItemWrite iw;
    iw.mutate = [&](const model::Item*) { return w.item; };
    WriteOutcome done = write_item(*w.table, w.key, iw);
    if (metrics) collections.add(w.table, w.item ? *w.item : w.deleted_key);
    add_item_write(w.table->schema(), done, units[std::string(w.table_name)]);
  }
  out.StartObject();
  out.Key("UnprocessedItems");
  out.StartObject();
  out.EndObject();
  report_capacity_list(units, capacity, UnitsShape::kTotalOnly, out);
  collections.write(out);
  out.EndObject();
}

}  // namespace jormun::ops
