// CreateTable, DeleteTable, DescribeTable, ListTables.
#include "ops/cluster_limits.h"
#include "ops/table_ops.h"

#include <algorithm>

#include "common/api_error.h"
#include "ops/index_rules.h"
#include "ops/params.h"
#include "ops/stream_specification.h"
#include "ops/table_description.h"
#include "ops/table_settings.h"
#include "ops/tags.h"

namespace jormun::ops {
namespace {

// The rules DynamoDB applies after the member constraints, in its order.
// Without indexes, the key schema must use every definition; with them,
// check_definitions_used applies once the index keys are known.
void check_key_schema(const std::vector<KeyElement>& keys,
                      const std::vector<storage::KeyAttribute>& defs, bool has_indexes) {
  auto defined = [&](const std::string& n) {
    return std::any_of(defs.begin(), defs.end(), [&](const auto& d) { return d.name == n; });
  };
  std::vector<std::string> key_names, def_names;
  for (const auto& k : keys) key_names.push_back(k.name);
  for (const auto& d : defs) def_names.push_back(d.name);
  if (keys.size() > defs.size())
    throw ApiError::validation("Invalid KeySchema: Some index key attribute have no definition");
  if (std::any_of(keys.begin(), keys.end(),
                  [&](const auto& k) { return !defined(k.name); }))
    throw ApiError::validation(
        "One or more parameter values were invalid: Some index key attributes are not "
        "defined in AttributeDefinitions. Keys: [" +
        join(key_names) + "], AttributeDefinitions: [" + join(def_names) + "]");
  if (keys.size() == 2 && keys[0].name == keys[1].name)
    throw ApiError::validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  if (keys[0].key_type != "HASH")
    throw ApiError::validation(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (keys.size() == 2 && keys[1].key_type != "RANGE")
    throw ApiError::validation(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  if (!has_indexes && keys.size() != defs.size())
    throw ApiError::validation(
        "One or more parameter values were invalid: Number of attributes in KeySchema does "
        "not exactly match number of attributes defined in AttributeDefinitions");
  for (size_t i = 0; i < defs.size(); ++i)
    for (size_t j = i + 1; j < defs.size(); ++j)
      if (defs[i].name == defs[j].name)
        throw ApiError::validation(
            "Cannot have two attributes with the same name: " + defs[i].name);
}

storage::KeyAttribute key_attribute(const std::string& name,
                                    const std::vector<storage::KeyAttribute>& defs) {
  for (const auto& d : defs)
    if (d.name == name) return d;
  throw ApiError::internal("key attribute without definition");
}

std::shared_ptr<storage::Table> require_table(Context& ctx, const std::string& name) {
  auto table = ctx.catalog.find(name);
  if (!table)
    throw ApiError::resource_not_found("Requested resource not found: Table: " + name +
                                       " not found");
  return table;
}

}  // namespace

void create_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  storage::TableSchema s;
  s.attribute_definitions = read_attribute_definitions(p);
  s.name = p.table_name();
  auto throughput =
      read_throughput(p, p.object("ProvisionedThroughput"), "provisionedThroughput");
  bool throughput_given = throughput.has_value();
  if (throughput) {
    s.read_capacity = throughput->read;
    s.write_capacity = throughput->write;
  }
  std::vector<KeyElement> keys = read_key_schema(p, p.list("KeySchema"), "keySchema", true);
  auto lsis = read_index_list(p, "LocalSecondaryIndexes", false);
  auto gsis = read_index_list(p, "GlobalSecondaryIndexes", true);
  auto billing = p.string("BillingMode");
  p.one_of(billing, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  std::vector<TagInput> tags;
  if (const rapidjson::Value* list = p.list("Tags")) tags = read_tag_list(*list);
  TableSettings settings = read_table_settings(p);
  auto stream = read_stream_specification(p);
  p.check();

  s.billing_mode = billing ? std::string(*billing) : "PROVISIONED";
  if (s.billing_mode == "PAY_PER_REQUEST" && throughput_given)
    throw ApiError::validation(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  if (s.billing_mode == "PROVISIONED" && !throughput_given)
    throw ApiError::validation(
        "One or more parameter values were invalid: ReadCapacityUnits and "
        "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
  if (s.read_capacity > kMaxCapacity)
    throw ApiError::validation("Given value " + std::to_string(s.read_capacity) +
                               " for ReadCapacityUnits is out of bounds");
  if (s.write_capacity > kMaxCapacity)
    throw ApiError::validation("Given value " + std::to_string(s.write_capacity) +
                               " for WriteCapacityUnits is out of bounds");
  check_key_schema(keys, s.attribute_definitions, lsis || gsis);
  s.partition_key = key_attribute(keys[0].name, s.attribute_definitions);
  if (keys.size() == 2) s.sort_key = key_attribute(keys[1].name, s.attribute_definitions);
  if (lsis || gsis) {
    s.indexes = check_create_indexes(s, lsis, gsis);
    check_definitions_used(s);
  }
  s.tags = merge_tags({}, check_tags(tags));
  apply_create_settings(settings, ctx.config.region, s);
  // The label is the creation time; the catalog sets the table's own later.
  if (stream && stream->enabled) refuse_in_cluster(ctx, "DynamoDB Streams");
  if (stream) apply_stream_specification(*stream, s, true);

  auto table = ctx.catalog.create(std::move(s));
  out.StartObject();
  out.Key("TableDescription");
  // DynamoDB answers CREATING; the table is usable at once and DescribeTable
  // reports ACTIVE, which is what SDK waiters poll for.
  write_table_description(table->schema(), {}, "CREATING", ctx.config.region, out);
  out.EndObject();
}

void delete_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  p.check();
  auto [schema, stats] = ctx.catalog.drop(name, &check_deletable);
  out.StartObject();
  out.Key("TableDescription");
  write_table_description(schema, stats, "DELETING", ctx.config.region, out);
  out.EndObject();
}

void describe_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  p.check();
  if (auto restoring = ctx.catalog.restoring(name)) {
    // Built in the background (RestoreTableFromBackup): not usable yet.
    out.StartObject();
    out.Key("Table");
    write_table_description(*restoring, {}, "CREATING", ctx.config.region, out);
    out.EndObject();
    return;
  }
  auto table = require_table(ctx, name);
  // A read replica says how far its copy is (docs/replication.md).
  std::optional<replication::TableStatus> copy;
  if (ctx.follower && ctx.follower->following()) copy = ctx.follower->table_status(name);
  out.StartObject();
  out.Key("Table");
  write_table_description(table->schema(), ctx.catalog.stats(*table), "ACTIVE", ctx.config.region, out,
                          [&](model::JsonWriter& w) {
                            if (!copy) return;
                            w.Key("JormunReplication");
                            w.StartObject();
                            w.Key("Primary");
                            w.String(ctx.follower->primary_url().c_str());
                            w.Key("LagMillis");
                            w.Int64(copy->lag_ms);
                            w.Key("State");
                            const auto state = replication::state_name(copy->state);
                            w.String(state.data(), static_cast<rapidjson::SizeType>(state.size()));
                            w.EndObject();
                          });
  out.EndObject();
}

void list_tables(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  auto start = p.string("ExclusiveStartTableName");
  auto limit = p.integer("Limit");
  // Read in member order, reported in DynamoDB's: Limit first.
  p.value_between(limit, "limit", 1, 100);
  if (start) {
    p.name_pattern(*start, "exclusiveStartTableName");
    p.length_between(*start, "exclusiveStartTableName", 3, 255);
  }
  p.check();

  std::vector<std::string> names = ctx.catalog.names();
  auto it = names.begin();
  if (start) it = std::upper_bound(names.begin(), names.end(), std::string(*start));
  size_t max = static_cast<size_t>(limit.value_or(100));
  out.StartObject();
  out.Key("TableNames");
  out.StartArray();
  size_t n = 0;
  for (; it != names.end() && n < max; ++it, ++n) out.String(*it);
  out.EndArray();
  if (it != names.end() && n > 0) {
    out.Key("LastEvaluatedTableName");
    out.String(*(it - 1));
  }
  out.EndObject();
}

}  // namespace jormun::ops
