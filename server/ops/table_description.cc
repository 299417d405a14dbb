#include "ops/table_description.h"

namespace jormun::ops {
namespace {

void write_key_schema_element(model::JsonWriter& w, const std::string& name,
                              const char* key_type) {
  w.StartObject();
  w.Key("AttributeName");
  w.String(name);
  w.Key("KeyType");
  w.String(key_type);
  w.EndObject();
}

}  // namespace

std::string table_arn(std::string_view region, std::string_view table) {
  return "arn:aws:dynamodb:" + std::string(region) + ":000000000000:table/" +
         std::string(table);
}

void write_table_description(const storage::TableSchema& s,
                             const storage::Table::Stats& stats, std::string_view status,
                             std::string_view region, model::JsonWriter& w) {
  w.StartObject();
  w.Key("AttributeDefinitions");
  w.StartArray();
  for (const auto& a : s.attribute_definitions) {
    w.StartObject();
    w.Key("AttributeName");
    w.String(a.name);
    w.Key("AttributeType");
    w.String(model::type_name(a.type));
    w.EndObject();
  }
  w.EndArray();
  w.Key("TableName");
  w.String(s.name);
  w.Key("KeySchema");
  w.StartArray();
  write_key_schema_element(w, s.partition_key.name, "HASH");
  if (s.sort_key) write_key_schema_element(w, s.sort_key->name, "RANGE");
  w.EndArray();
  w.Key("TableStatus");
  w.String(status.data(), status.size());
  w.Key("CreationDateTime");
  w.Double(s.creation_time);
  w.Key("ProvisionedThroughput");
  w.StartObject();
  w.Key("NumberOfDecreasesToday");
  w.Int(0);
  w.Key("ReadCapacityUnits");
  w.Int64(s.read_capacity);
  w.Key("WriteCapacityUnits");
  w.Int64(s.write_capacity);
  w.EndObject();
  w.Key("TableSizeBytes");
  w.Uint64(stats.size_bytes);
  w.Key("ItemCount");
  w.Uint64(stats.item_count);
  w.Key("TableArn");
  w.String(table_arn(region, s.name));
  w.Key("TableId");
  w.String(s.id);
  w.Key("BillingModeSummary");
  w.StartObject();
  w.Key("BillingMode");
  w.String(s.billing_mode);
  if (s.billing_mode == "PAY_PER_REQUEST") {
    w.Key("LastUpdateToPayPerRequestDateTime");
    w.Double(s.creation_time);
  }
  w.EndObject();
  w.Key("DeletionProtectionEnabled");
  w.Bool(false);
  // JormunDB's own member: the engine holding the table. SDKs ignore
  // members they do not know.
  w.Key("JormunEngine");
  w.StartObject();
  w.Key("Name");
  w.String(s.engine);
  w.Key("Plugin");
  w.String(s.plugin);
  w.EndObject();
  w.EndObject();
}

}  // namespace jormun::ops
