#include "ops/cluster_limits.h"
#include "ops/backups.h"

#include "common/api_error.h"
#include "common/clock.h"
#include "ops/backup_description.h"
#include "ops/backup_listing.h"
#include "ops/params.h"
#include "ops/resource_arn.h"
#include "ops/restore_schema.h"
#include "ops/table_description.h"

namespace jormun::ops {
namespace {

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

}  // namespace

void create_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  refuse_in_cluster(ctx, "CreateBackup");
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
  const std::string table_name = table_name_or_arn(*table, ctx.config.region);
  auto t = ctx.catalog.find(table_name);
  if (!t && ctx.catalog.restoring(table_name))
    throw ApiError("TableInUseException", "Table is being created: " + table_name);
  if (!t) throw ApiError("TableNotFoundException", "Table not found: " + table_name);
  storage::Backup b = ctx.catalog.backups().create(*t, std::string(*name), ctx.catalog.stats(*t));
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
  filter.from = p.timestamp("TimeRangeLowerBound");
  filter.to = p.timestamp("TimeRangeUpperBound");
  auto start = p.string("ExclusiveStartBackupArn");
  if (start) p.length_between(*start, "exclusiveStartBackupArn", 37, 1024);
  auto type = p.string("BackupType");
  p.one_of(type, "backupType", {"USER", "SYSTEM", "AWS_BACKUP", "ALL"});
  p.check();
  if (table) filter.table = table_name_or_arn(*table, ctx.config.region);
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
  refuse_in_cluster(ctx, "RestoreTableFromBackup");
  Params p(request);
  std::string target = p.table_name("TargetTableName");
  const std::string arn = read_backup_arn(p);
  RestoreOverrides overrides = read_restore_overrides(p);
  p.check();

  auto parts = parse_backup_arn(arn, ctx.config.region);
  auto held = parts ? ctx.catalog.backups().hold(parts->id) : nullptr;
  if (!held || held->table.name != parts->table) backup_not_found(arn);
  const storage::TableSchema& source = held->table;
  storage::TableSchema s = restored_schema(source, target, overrides, ctx.config.region);
  s.restore = storage::RestoreSummary{arn, table_arn(ctx.config.region, source.name),
                                      static_cast<double>(clock::now_ms()) / 1000.0, true};
  storage::TableSchema started = ctx.catalog.restore(std::move(s), std::move(held));
  out.StartObject();
  out.Key("TableDescription");
  write_table_description(started, {}, "CREATING", ctx.config.region, out);
  out.EndObject();
}

}  // namespace jormun::ops
