#include "ops/backups.h"

#include <algorithm>

#include "common/api_error.h"
#include "common/clock.h"
#include "ops/backup_description.h"
#include "ops/backup_listing.h"
#include "ops/params.h"
#include "ops/resource_arn.h"
#include "ops/table_description.h"
#include "ops/table_params.h"
#include "ops/table_settings.h"

namespace jormun::ops {
namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

// BackupArn (DescribeBackup, DeleteBackup, RestoreTableFromBackup):
// required, 37..1024 characters.
std::string read_backup_arn(Params& p) {
  auto arn = p.string("BackupArn");
  p.not_null(arn ? &*arn : nullptr, "backupArn");
  if (arn) p.length_between(*arn, "backupArn", 37, 1024);
  return arn ? std::string(*arn) : std::string();
}

[[noreturn]] void backup_not_found(const std::string& arn) {
  throw ApiError("BackupNotFoundException", "Backup not found: " + arn);
}

// The backup `arn` names: one of this server's region and account, of the
// table the ARN names. Anything else is not found.
storage::Backup find_backup(Context& ctx, const std::string& arn) {
  auto parts = parse_backup_arn(arn, ctx.config.region);
  if (!parts) backup_not_found(arn);
  auto b = ctx.catalog.backups().find(parts->id);
  if (!b || b->table.name != parts->table) backup_not_found(arn);
  return *b;
}

// TableName of ListBackups and CreateBackup: a name, or a table ARN.
std::string table_of(Context& ctx, std::string_view name_or_arn) {
  if (name_or_arn.starts_with("arn:"))
    return table_of_resource_arn(name_or_arn, ctx.config.region);
  return std::string(name_or_arn);
}

// A number member (TimeRangeLowerBound, TimeRangeUpperBound): epoch seconds,
// fractions allowed, as the SDKs send timestamps.
std::optional<double> read_time(const Params& p, const char* member) {
  auto it = p.json().FindMember(member);
  if (it == p.json().MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsNumber())
    throw ApiError::serialization("Unexpected value type in payload");
  return it->value.GetDouble();
}

// Whether override definition `d` names index `i` as it is: same keys and
// projection (DynamoDB restores indexes as they were backed up; an override
// chooses which, and a GSI's throughput).
bool same_index(const IndexDefinition& d, const storage::IndexSchema& i) {
  if (d.name != i.name) return false;
  std::vector<std::pair<std::string, std::string>> keys, given;
  for (const storage::KeyAttribute* k : i.partition_keys())
    keys.emplace_back(k->name, "HASH");
  for (const storage::KeyAttribute* k : i.sort_keys())
    keys.emplace_back(k->name, "RANGE");
  for (const auto& k : d.keys) given.emplace_back(k.name, k.key_type);
  if (given != keys) return false;
  static constexpr const char* kProjections[] = {"ALL", "KEYS_ONLY", "INCLUDE"};
  if (d.projection_type.value_or("ALL") != kProjections[static_cast<int>(i.projection)])
    return false;
  const std::vector<std::string> none;
  const auto& attrs = d.non_key_attributes ? *d.non_key_attributes : none;
  return attrs == i.non_key_attributes;
}

// The indexes of kind `global` the restored table gets: the backup's (but
// those being deleted), or those `override` picks among them.
std::vector<storage::IndexSchema> restored_indexes(
    const storage::TableSchema& source, bool global,
    const std::optional<std::vector<IndexDefinition>>& override) {
  std::vector<storage::IndexSchema> out;
  for (const auto& i : source.indexes)
    if (i.global == global && i.state != storage::IndexSchema::State::kDeleting &&
        !override)
      out.push_back(i);
  if (!override) return out;
  for (const auto& d : *override) {
    auto it = std::find_if(source.indexes.begin(), source.indexes.end(), [&](const auto& i) {
      return i.global == global && i.state != storage::IndexSchema::State::kDeleting &&
             same_index(d, i);
    });
    if (it == source.indexes.end())
      throw ApiError::validation(kInvalid + (global ? "GlobalSecondaryIndexOverride" :
                                                      "LocalSecondaryIndexOverride") +
                                 " must name an index of the backup as it was backed up: " +
                                 d.name);
    storage::IndexSchema i = *it;
    if (d.throughput) {
      i.read_capacity = d.throughput->read;
      i.write_capacity = d.throughput->write;
    }
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace

void create_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  auto table = p.string("TableName");
  p.not_null(table ? &*table : nullptr, "tableName");
  if (table) p.length_between(*table, "tableName", 1, 1024);
  auto name = p.string("BackupName");
  p.not_null(name ? &*name : nullptr, "backupName");
  if (name) {
    p.length_between(*name, "backupName", 3, 255);
    p.name_pattern(*name, "backupName");
  }
  p.check();
  const std::string table_name = table_of(ctx, *table);
  auto t = ctx.catalog.find(table_name);
  if (!t && ctx.catalog.restoring(table_name))
    throw ApiError("TableInUseException", "Table is being created: " + table_name);
  if (!t) throw ApiError("TableNotFoundException", "Table not found: " + table_name);
  storage::Backup b = ctx.catalog.backups().create(*t, std::string(*name), t->stats());
  out.StartObject();
  out.Key("BackupDetails");
  write_backup_details(b, "AVAILABLE", ctx.config.region, out);
  out.EndObject();
}

void describe_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  const std::string arn = read_backup_arn(p);
  p.check();
  storage::Backup b = find_backup(ctx, arn);
  out.StartObject();
  out.Key("BackupDescription");
  write_backup_description(b, "AVAILABLE", ctx.config.region, out);
  out.EndObject();
}

void delete_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  const std::string arn = read_backup_arn(p);
  p.check();
  storage::Backup b = find_backup(ctx, arn);
  // Deleted meanwhile by another request: not found, as it would be now.
  if (!ctx.catalog.backups().remove(b.id)) backup_not_found(arn);
  out.StartObject();
  out.Key("BackupDescription");
  write_backup_description(b, "DELETED", ctx.config.region, out);
  out.EndObject();
}

void list_backups(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  BackupFilter filter;
  auto table = p.string("TableName");
  if (table) p.length_between(*table, "tableName", 1, 1024);
  auto limit = p.integer("Limit");
  p.value_between(limit, "limit", 1, 100);
  filter.from = read_time(p, "TimeRangeLowerBound");
  filter.to = read_time(p, "TimeRangeUpperBound");
  auto start = p.string("ExclusiveStartBackupArn");
  if (start) p.length_between(*start, "exclusiveStartBackupArn", 37, 1024);
  auto type = p.string("BackupType");
  p.one_of(type, "backupType", {"USER", "SYSTEM", "AWS_BACKUP", "ALL"});
  p.check();
  if (table) filter.table = table_of(ctx, *table);
  if (limit) filter.limit = static_cast<size_t>(*limit);
  if (type) filter.type = std::string(*type);
  if (start) {
    auto parts = parse_backup_arn(*start, ctx.config.region);
    if (!parts)
      throw ApiError::validation("Invalid ExclusiveStartBackupArn: " + std::string(*start));
    filter.after = parts->id;
  }
  BackupPage page = select_backups(ctx.catalog.backups().list(), filter);
  out.StartObject();
  out.Key("BackupSummaries");
  out.StartArray();
  for (const auto& b : page.backups) write_backup_summary(b, ctx.config.region, out);
  out.EndArray();
  if (page.last) {
    out.Key("LastEvaluatedBackupArn");
    out.String(arn_of(page.backups.back(), ctx.config.region));
  }
  out.EndObject();
}

void restore_table_from_backup(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out) {
  Params p(request);
  std::string target = p.table_name("TargetTableName");
  const std::string arn = read_backup_arn(p);
  auto gsis = read_index_list(p, "GlobalSecondaryIndexOverride", true);
  auto lsis = read_index_list(p, "LocalSecondaryIndexOverride", false);
  auto billing = p.string("BillingModeOverride");
  p.one_of(billing, "billingModeOverride", {"PROVISIONED", "PAY_PER_REQUEST"});
  auto throughput = read_throughput(p, p.object("ProvisionedThroughputOverride"),
                                    "provisionedThroughputOverride");
  auto sse = read_sse_specification(p, "SSESpecificationOverride", "sSESpecificationOverride");
  p.check();

  auto parts = parse_backup_arn(arn, ctx.config.region);
  auto held = parts ? ctx.catalog.backups().hold(parts->id) : nullptr;
  if (!held || held->table.name != parts->table) backup_not_found(arn);
  const storage::TableSchema& source = held->table;
  storage::TableSchema s = source;
  s.name = target;
  // Not restored, as in DynamoDB: streams, TTL, tags and deletion
  // protection are set on the new table afterwards.
  s.streams.clear();
  s.ttl_attribute.clear();
  s.ttl_changed_ms = 0;
  s.tags.clear();
  s.deletion_protection = false;
  s.indexes = restored_indexes(source, false, lsis);
  auto globals = restored_indexes(source, true, gsis);
  s.indexes.insert(s.indexes.end(), globals.begin(), globals.end());
  if (billing) s.billing_mode = std::string(*billing);
  if (s.billing_mode == "PAY_PER_REQUEST") {
    if (throughput)
      throw ApiError::validation(
          kInvalid +
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
          "BillingMode is PAY_PER_REQUEST");
    s.read_capacity = s.write_capacity = 0;
    for (auto& i : s.indexes) i.read_capacity = i.write_capacity = 0;
  } else if (throughput) {
    s.read_capacity = throughput->read;
    s.write_capacity = throughput->write;
  } else if (source.billing_mode != "PROVISIONED") {
    throw ApiError::validation(
        kInvalid +
        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
        "is PROVISIONED");
  }
  if (sse) s.sse_kms_key_arn = sse_key_arn(*sse, ctx.config.region);
  s.prune_attribute_definitions();
  s.restore = storage::RestoreSummary{arn, table_arn(ctx.config.region, source.name),
                                      static_cast<double>(clock::now_ms()) / 1000.0, true};
  storage::TableSchema started = ctx.catalog.restore(std::move(s), std::move(held));
  out.StartObject();
  out.Key("TableDescription");
  write_table_description(started, {}, "CREATING", ctx.config.region, out);
  out.EndObject();
}

}  // namespace jormun::ops
