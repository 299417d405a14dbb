#include "ops/table_migration.h"

#include <string>

#include "common/api_error.h"
#include "ops/cluster_limits.h"
#include "ops/params.h"

namespace jormun::ops {
namespace {

void write_description(const storage::MigrationStatus& s, model::JsonWriter& out) {
  out.StartObject();
  out.Key("TableName");
  out.String(s.table);
  out.Key("SourceEngine");
  out.String(s.from_engine);
  out.Key("TargetEngine");
  out.String(s.to_engine);
  out.Key("Phase");
  out.String(storage::phase_name(s.phase));
  out.Key("ItemCount");
  out.Uint64(s.items_total);
  out.Key("ItemsCopied");
  out.Uint64(s.items_copied);
  out.Key("ChangesCaughtUp");
  out.Uint64(s.records_applied);
  out.Key("StartTime");
  out.Double(s.start_time);
  if (s.end_time != 0) {
    out.Key("EndTime");
    out.Double(s.end_time);
  }
  if (!s.error.empty()) {
    out.Key("Error");
    out.String(s.error);
  }
  if (!s.old_copy.empty()) {
    out.Key("OldCopy");
    out.String(s.old_copy);
  }
  out.EndObject();
}

void answer(const storage::MigrationStatus& s, model::JsonWriter& out) {
  out.StartObject();
  out.Key("Migration");
  write_description(s, out);
  out.EndObject();
}

[[noreturn]] void no_migration(const std::string& name) {
  throw ApiError::resource_not_found("Requested resource not found: no migration of table " +
                                     name);
}

}  // namespace

void migrate_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  auto engine = p.string("TargetEngine");
  p.not_null(engine ? &*engine : nullptr, "targetEngine");
  p.check();
  // A cluster's tables all live on its one engine, and the copy's catch-up
  // would see only this front end's writes.
  refuse_in_cluster(ctx, "Moving a table to another engine");
  const config::EngineConfig* target = ctx.config.engine(*engine);
  if (!target) {
    std::string known;
    for (const auto& e : ctx.config.engines) known += (known.empty() ? "" : ", ") + e.name;
    throw ApiError::validation("Unknown engine: " + std::string(*engine) +
                               "; the engines configured are: " + known);
  }
  answer(ctx.catalog.migrate(name, *target), out);
}

void describe_migration(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  p.check();
  auto status = ctx.catalog.migration(name);
  if (!status) no_migration(name);
  answer(*status, out);
}

void cancel_migration(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  p.check();
  if (!ctx.catalog.cancel_migration(name)) no_migration(name);
  answer(*ctx.catalog.migration(name), out);
}

void drop_old_table_copies(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  p.check();
  const std::vector<std::string> dropped = ctx.catalog.drop_old_copies(name);
  out.StartObject();
  out.Key("TableName");
  out.String(name);
  out.Key("DroppedCopies");
  out.StartArray();
  for (const auto& folder : dropped) out.String(folder);
  out.EndArray();
  out.EndObject();
}

}  // namespace jormun::ops
