#include "ops/table_description.h"

#include <algorithm>

#include "ops/table_settings.h"
#include "ops/stream_specification.h"

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

const char* projection_name(storage::IndexSchema::Projection p) {
  switch (p) {
    case storage::IndexSchema::Projection::kAll:
      return "ALL";
    case storage::IndexSchema::Projection::kKeysOnly:
      return "KEYS_ONLY";
    case storage::IndexSchema::Projection::kInclude:
      return "INCLUDE";
  }
  return "ALL";
}

const char* status_name(storage::IndexSchema::State s) {
  switch (s) {
    case storage::IndexSchema::State::kActive:
      return "ACTIVE";
    case storage::IndexSchema::State::kCreating:
      return "CREATING";
    case storage::IndexSchema::State::kDeleting:
      return "DELETING";
  }
  return "ACTIVE";
}

void write_index(const storage::IndexSchema& i, const storage::Table::Stats& stats,
                 const std::string& arn, model::JsonWriter& w) {
  w.StartObject();
  w.Key("IndexName");
  w.String(i.name);
  write_key_schema(i, w);
  write_projection(i, w);
  if (i.global) {
    w.Key("IndexStatus");
    w.String(status_name(i.state));
    if (i.state == storage::IndexSchema::State::kCreating) {
      w.Key("Backfilling");
      w.Bool(true);
    }
    w.Key("ProvisionedThroughput");
    w.StartObject();
    w.Key("NumberOfDecreasesToday");
    w.Int(0);
    w.Key("ReadCapacityUnits");
    w.Int64(i.read_capacity);
    w.Key("WriteCapacityUnits");
    w.Int64(i.write_capacity);
    w.EndObject();
  }
  const storage::Table::Counts* counts = stats.index(i.name);
  w.Key("IndexSizeBytes");
  w.Uint64(counts ? counts->size_bytes : 0);
  w.Key("ItemCount");
  w.Uint64(counts ? counts->item_count : 0);
  w.Key("IndexArn");
  w.String(arn + "/index/" + i.name);
  w.EndObject();
}

// GlobalSecondaryIndexes or LocalSecondaryIndexes; omitted when empty, as
// DynamoDB does.
void write_indexes(const storage::TableSchema& s, const storage::Table::Stats& stats,
                   bool global, const std::string& arn, model::JsonWriter& w) {
  auto of_kind = [&](const storage::IndexSchema& i) { return i.global == global; };
  if (std::none_of(s.indexes.begin(), s.indexes.end(), of_kind)) return;
  w.Key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
  w.StartArray();
  for (const auto& i : s.indexes)
    if (of_kind(i)) write_index(i, stats, arn, w);
  w.EndArray();
}

}  // namespace

void write_key_schema(const storage::KeyAttribute& partition_key,
                      const std::optional<storage::KeyAttribute>& sort_key,
                      model::JsonWriter& w) {
  w.Key("KeySchema");
  w.StartArray();
  write_key_schema_element(w, partition_key.name, "HASH");
  if (sort_key) write_key_schema_element(w, sort_key->name, "RANGE");
  w.EndArray();
}

void write_key_schema(const storage::IndexSchema& i, model::JsonWriter& w) {
  w.Key("KeySchema");
  w.StartArray();
  for (const storage::KeyAttribute* k : i.partition_keys())
    write_key_schema_element(w, k->name, "HASH");
  for (const storage::KeyAttribute* k : i.sort_keys())
    write_key_schema_element(w, k->name, "RANGE");
  w.EndArray();
}

void write_projection(const storage::IndexSchema& i, model::JsonWriter& w) {
  w.Key("Projection");
  w.StartObject();
  w.Key("ProjectionType");
  w.String(projection_name(i.projection));
  if (i.projection == storage::IndexSchema::Projection::kInclude) {
    w.Key("NonKeyAttributes");
    w.StartArray();
    for (const auto& a : i.non_key_attributes) w.String(a);
    w.EndArray();
  }
  w.EndObject();
}

std::string table_arn(std::string_view region, std::string_view table) {
  return "arn:aws:dynamodb:" + std::string(region) + ":000000000000:table/" +
         std::string(table);
}

void write_table_description(const storage::TableSchema& s,
                             const storage::Table::Stats& stats, std::string_view status,
                             std::string_view region, model::JsonWriter& w,
                             const std::function<void(model::JsonWriter&)>& more) {
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
  write_key_schema(s.partition_key, s.sort_key, w);
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
  std::string arn = table_arn(region, s.name);
  w.Key("TableArn");
  w.String(arn);
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
  write_indexes(s, stats, false, arn, w);
  write_indexes(s, stats, true, arn, w);
  write_table_settings(s, w);
  write_stream_members(s, region, w);
  if (s.restore) {
    w.Key("RestoreSummary");
    w.StartObject();
    // A point-in-time restore has no backup, and DynamoDB names none.
    if (!s.restore->source_backup_arn.empty()) {
      w.Key("SourceBackupArn");
      w.String(s.restore->source_backup_arn);
    }
    w.Key("SourceTableArn");
    w.String(s.restore->source_table_arn);
    w.Key("RestoreDateTime");
    w.Double(s.restore->restore_time);
    w.Key("RestoreInProgress");
    w.Bool(s.restore->in_progress);
    w.EndObject();
  }
  // JormunDB's own member: the engine holding the table. SDKs ignore
  // members they do not know.
  w.Key("JormunEngine");
  w.StartObject();
  w.Key("Name");
  w.String(s.engine);
  w.Key("Plugin");
  w.String(s.plugin);
  w.Key("Durable");
  w.Bool(s.durable);
  w.EndObject();
  if (more) more(w);
  w.EndObject();
}

}  // namespace jormun::ops
