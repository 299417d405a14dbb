#include "ops/backup_description.h"

#include "ops/backup_listing.h"
#include "ops/stream_specification.h"
#include "ops/table_description.h"
#include "ops/table_settings.h"

namespace jormun::ops {
namespace {

// Backups of this server are on-demand (USER) backups, which never expire:
// no BackupExpiryDateTime.
constexpr std::string_view kBackupType = "USER";

double seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

void write_throughput(int64_t read, int64_t write, model::JsonWriter& w) {
  w.Key("ProvisionedThroughput");
  w.StartObject();
  w.Key("ReadCapacityUnits");
  w.Int64(read);
  w.Key("WriteCapacityUnits");
  w.Int64(write);
  w.EndObject();
}

void write_source_table(const storage::Backup& b, std::string_view region,
                        model::JsonWriter& w) {
  const storage::TableSchema& t = b.table;
  w.Key("SourceTableDetails");
  w.StartObject();
  w.Key("TableName");
  w.String(t.name);
  w.Key("TableId");
  w.String(t.id);
  w.Key("TableArn");
  w.String(table_arn(region, t.name));
  w.Key("TableSizeBytes");
  w.Uint64(b.table_size_bytes);
  write_key_schema(t.partition_key, t.sort_key, w);
  w.Key("TableCreationDateTime");
  w.Double(t.creation_time);
  write_throughput(t.read_capacity, t.write_capacity, w);
  w.Key("ItemCount");
  w.Uint64(b.item_count);
  w.Key("BillingMode");
  w.String(t.billing_mode);
  w.EndObject();
}

void write_features(const storage::TableSchema& t, model::JsonWriter& w) {
  w.Key("SourceTableFeatureDetails");
  w.StartObject();
  for (bool global : {false, true}) {
    bool any = false;
    for (const auto& i : t.indexes) {
      if (i.global != global || i.state == storage::IndexSchema::State::kDeleting) continue;
      if (!any) {
        w.Key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
        w.StartArray();
        any = true;
      }
      w.StartObject();
      w.Key("IndexName");
      w.String(i.name);
      write_key_schema(i, w);
      write_projection(i, w);
      if (global) write_throughput(i.read_capacity, i.write_capacity, w);
      w.EndObject();
    }
    if (any) w.EndArray();
  }
  write_enabled_stream("StreamDescription", t, w);
  if (!t.ttl_attribute.empty()) {
    w.Key("TimeToLiveDescription");
    w.StartObject();
    w.Key("AttributeName");
    w.String(t.ttl_attribute);
    w.Key("TimeToLiveStatus");
    w.String("ENABLED");
    w.EndObject();
  }
  write_sse_description(t, w);
  w.EndObject();
}

}  // namespace

std::string arn_of(const storage::Backup& b, std::string_view region) {
  return backup_arn(region, b.table.name, b.id);
}

void write_backup_details(const storage::Backup& b, std::string_view status,
                          std::string_view region, model::JsonWriter& w) {
  w.StartObject();
  w.Key("BackupArn");
  w.String(arn_of(b, region));
  w.Key("BackupName");
  w.String(b.name);
  w.Key("BackupSizeBytes");
  w.Uint64(b.size_bytes);
  w.Key("BackupStatus");
  w.String(status.data(), status.size());
  w.Key("BackupType");
  w.String(kBackupType.data(), kBackupType.size());
  w.Key("BackupCreationDateTime");
  w.Double(seconds(b.created_ms));
  w.EndObject();
}

void write_backup_description(const storage::Backup& b, std::string_view status,
                              std::string_view region, model::JsonWriter& w) {
  w.StartObject();
  w.Key("BackupDetails");
  write_backup_details(b, status, region, w);
  write_source_table(b, region, w);
  write_features(b.table, w);
  w.EndObject();
}

void write_backup_summary(const storage::Backup& b, std::string_view region,
                          model::JsonWriter& w) {
  w.StartObject();
  w.Key("TableName");
  w.String(b.table.name);
  w.Key("TableId");
  w.String(b.table.id);
  w.Key("TableArn");
  w.String(table_arn(region, b.table.name));
  w.Key("BackupArn");
  w.String(arn_of(b, region));
  w.Key("BackupName");
  w.String(b.name);
  w.Key("BackupCreationDateTime");
  w.Double(seconds(b.created_ms));
  w.Key("BackupStatus");
  w.String("AVAILABLE");
  w.Key("BackupType");
  w.String(kBackupType.data(), kBackupType.size());
  w.Key("BackupSizeBytes");
  w.Uint64(b.size_bytes);
  w.EndObject();
}

}  // namespace jormun::ops
