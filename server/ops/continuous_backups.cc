#include "ops/cluster_limits.h"
#include "ops/continuous_backups.h"

#include <cmath>

#include "common/api_error.h"
#include "common/clock.h"
#include "common/log.h"
#include "ops/params.h"
#include "ops/pitr_window.h"
#include "ops/resource_arn.h"
#include "ops/restore_schema.h"
#include "ops/table_description.h"

namespace jormun::ops {
namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

// TableName of the two continuous backups operations: required, 1..1024
// characters, a name or a table ARN.
std::string read_table(Params& p) {
  auto table = p.string("TableName");
  p.not_null(table ? &*table : nullptr, "tableName");
  if (table) p.length_between(*table, "tableName", 1, 1024);
  return table ? std::string(*table) : std::string();
}

[[noreturn]] void table_not_found(const std::string& name) {
  throw ApiError("TableNotFoundException", "Table not found: " + name);
}

std::shared_ptr<storage::Table> find_table(Context& ctx, const std::string& name) {
  auto t = ctx.catalog.find(name);
  if (!t && ctx.catalog.restoring(name))
    throw ApiError("ContinuousBackupsUnavailableException",
                   "Continuous backups are not available while the table is being created: " +
                       name);
  if (!t) table_not_found(name);
  return t;
}

std::vector<storage::Backup> checkpoints_of(Context& ctx, const storage::TableSchema& s) {
  return table_checkpoints(ctx.catalog.pitr_checkpoints().list(), s.id);
}

void write_description(Context& ctx, const storage::TableSchema& s, model::JsonWriter& out) {
  out.StartObject();
  out.Key("ContinuousBackupsDescription");
  out.StartObject();
  // DynamoDB keeps continuous backups on for every table.
  out.Key("ContinuousBackupsStatus");
  out.String("ENABLED");
  out.Key("PointInTimeRecoveryDescription");
  out.StartObject();
  out.Key("PointInTimeRecoveryStatus");
  out.String(s.pitr.enabled ? "ENABLED" : "DISABLED");
  if (s.pitr.enabled) {
    out.Key("RecoveryPeriodInDays");
    out.Int64(s.pitr.recovery_days);
    if (auto w = pitr_window(s.pitr, checkpoints_of(ctx, s), clock::now_ms())) {
      out.Key("EarliestRestorableDateTime");
      out.Double(static_cast<double>(w->earliest_ms) / 1000.0);
      out.Key("LatestRestorableDateTime");
      out.Double(static_cast<double>(w->latest_ms) / 1000.0);
    }
  }
  out.EndObject();
  out.EndObject();
  out.EndObject();
}

// Forgets the table's checkpoints (PITR was turned off: its window is gone,
// as in DynamoDB). One a restore still reads is left to the checkpointer.
void drop_checkpoints(Context& ctx, const storage::TableSchema& s) {
  for (const auto& b : checkpoints_of(ctx, s)) {
    try {
      ctx.catalog.pitr_checkpoints().remove(b.id);
    } catch (const std::exception& e) {
      log::info("PITR checkpoint " + b.id + " kept for now: " + e.what());
    }
  }
}

std::string format_time(int64_t ms) {
  return std::to_string(static_cast<double>(ms) / 1000.0);
}

}  // namespace

void update_continuous_backups(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out) {
  Params p(request);
  const std::string name = read_table(p);
  const rapidjson::Value* spec = p.object("PointInTimeRecoverySpecification");
  p.not_null(spec, "pointInTimeRecoverySpecification");
  std::optional<bool> enabled;
  std::optional<int64_t> days;
  if (spec) {
    Params s(*spec);
    enabled = s.boolean("PointInTimeRecoveryEnabled");
    p.not_null(enabled ? &*enabled : nullptr,
               "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
    days = s.integer("RecoveryPeriodInDays");
    p.value_between(days, "pointInTimeRecoverySpecification.recoveryPeriodInDays", 1, 35);
  }
  p.check();
  if (*enabled) refuse_in_cluster(ctx, "Point-in-time recovery");
  if (days && !*enabled)
    throw ApiError::validation(
        kInvalid + "RecoveryPeriodInDays can only be set when PointInTimeRecoveryEnabled is true");
  const std::string table = table_name_or_arn(name, ctx.config.region);
  auto t = find_table(ctx, table);
  bool started = false;
  storage::TableSchema s = ctx.catalog.update_schema(table, [&](const storage::TableSchema& old) {
    storage::TableSchema next = old;
    started = *enabled && !old.pitr.enabled;
    if (!*enabled) {
      next.pitr = {};
    } else {
      next.pitr.enabled = true;
      if (started) next.pitr.enabled_ms = clock::now_ms();
      next.pitr.recovery_days = days.value_or(started ? 35 : old.pitr.recovery_days);
    }
    return next;
  });
  if (!*enabled) drop_checkpoints(ctx, s);
  if (started) {
    // The window opens with a first checkpoint; without it there is none,
    // so PITR goes off again and the request fails.
    try {
      ctx.catalog.pitr_checkpoints().create(*t, "pitr", {}, true);
    } catch (...) {
      ctx.catalog.update_schema(table, [](const storage::TableSchema& old) {
        storage::TableSchema next = old;
        next.pitr = {};
        return next;
      });
      throw;
    }
  }
  write_description(ctx, s, out);
}

void describe_continuous_backups(Context& ctx, const rapidjson::Value& request,
                                 model::JsonWriter& out) {
  Params p(request);
  const std::string name = read_table(p);
  p.check();
  const std::string table = table_name_or_arn(name, ctx.config.region);
  auto t = ctx.catalog.find(table);
  if (!t) {
    if (auto restoring = ctx.catalog.restoring(table)) return write_description(ctx, *restoring, out);
    table_not_found(table);
  }
  write_description(ctx, t->schema(), out);
}

void restore_table_to_point_in_time(Context& ctx, const rapidjson::Value& request,
                                    model::JsonWriter& out) {
  refuse_in_cluster(ctx, "RestoreTableToPointInTime");
  Params p(request);
  auto source_arn = p.string("SourceTableArn");
  if (source_arn) p.length_between(*source_arn, "sourceTableArn", 1, 1024);
  auto source_name = p.string("SourceTableName");
  if (source_name) {
    p.length_between(*source_name, "sourceTableName", 3, 255);
    p.name_pattern(*source_name, "sourceTableName");
  }
  std::string target = p.table_name("TargetTableName");
  auto latest = p.boolean("UseLatestRestorableTime");
  auto at = p.timestamp("RestoreDateTime");
  RestoreOverrides overrides = read_restore_overrides(p);
  p.check();
  if (source_arn.has_value() == source_name.has_value())
    throw ApiError::validation(
        "Either SourceTableArn or SourceTableName must be specified, but not both");
  const bool use_latest = latest.value_or(false);
  if (use_latest == at.has_value())
    throw ApiError::validation(
        "Either RestoreDateTime or UseLatestRestorableTime must be specified, but not both");
  const std::string source_table = source_name
                                       ? std::string(*source_name)
                                       : table_of_resource_arn(*source_arn, ctx.config.region);
  auto source = ctx.catalog.find(source_table);
  if (!source) table_not_found(source_table);
  const storage::TableSchema& current = source->schema();
  if (!current.pitr.enabled)
    throw ApiError("PointInTimeRecoveryUnavailableException",
                   "Point in time recovery is not enabled for table '" + source_table + "'");
  const int64_t now = clock::now_ms();
  auto checkpoints = checkpoints_of(ctx, current);
  auto window = pitr_window(current.pitr, checkpoints, now);
  const int64_t at_ms = use_latest ? now : static_cast<int64_t>(std::floor(*at * 1000.0));
  if (!window || at_ms < window->earliest_ms || at_ms > window->latest_ms)
    throw ApiError("InvalidRestoreTimeException",
                   "Restore time must be between " +
                       format_time(window ? window->earliest_ms : now) + " and " +
                       format_time(window ? window->latest_ms : now) + " (epoch seconds)");
  const storage::Backup* base = checkpoint_for(checkpoints, at_ms);
  auto held = base ? ctx.catalog.pitr_checkpoints().hold(base->id) : nullptr;
  if (!held)  // trimmed away between the window and now: the time is gone
    throw ApiError("InvalidRestoreTimeException",
                   "Restore time is before the earliest restorable time");
  storage::TableSchema s =
      restored_schema(held->table, target, overrides, ctx.config.region);
  s.restore = storage::RestoreSummary{"", table_arn(ctx.config.region, source_table),
                                      static_cast<double>(at_ms) / 1000.0, true};
  storage::Catalog::Replay replay{source, held->change_log->end, at_ms};
  storage::TableSchema started =
      ctx.catalog.restore(std::move(s), std::move(held), std::move(replay));
  out.StartObject();
  out.Key("TableDescription");
  write_table_description(started, {}, "CREATING", ctx.config.region, out);
  out.EndObject();
}

}  // namespace jormun::ops
