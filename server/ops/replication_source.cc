#include "ops/replication_source.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/api_error.h"
#include "common/clock.h"
#include "model/base64.h"
#include "ops/params.h"
#include "storage/catalog_file.h"
#include "storage/stream_record.h"

namespace jormun::ops {
namespace {

// A page of a snapshot, and an answer of the log, hold at most this many
// items or records by default and at most kMaxLimit when asked.
constexpr int64_t kDefaultLimit = 1000;
constexpr int64_t kMaxLimit = 10000;
// The bytes of records one log answer carries before it stops at the next
// whole group: a follower far behind catches up in answers of this size.
constexpr size_t kMaxLogBytes = 8 * 1024 * 1024;
// The tables one JormunReplicationSnapshot takes at one moment at most.
constexpr int64_t kMaxSnapshotTables = 10000;

ReplicationSource& source(Context& ctx) {
  if (!ctx.config.replication.log || !ctx.replication_source)
    throw ApiError::validation(
        "replication.log is off on this server: it keeps no log for followers");
  return *ctx.replication_source;
}

// The members every answer about the primary's state starts with. The
// version is read before the answer's tables: a change made meanwhile shows
// as a new version next time.
void write_primary(Context& ctx, model::JsonWriter& out) {
  out.Key("PrimaryId");
  out.String(ctx.replication->id());
  out.Key("CatalogVersion");
  out.String(ctx.catalog.version());
}

void write_schema(const storage::TableSchema& schema, model::JsonWriter& out) {
  const std::string json = storage::table_to_json(schema);
  out.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

std::optional<std::string> decoded(std::optional<std::string_view> text,
                                   const char* member) {
  if (!text) return std::nullopt;
  std::string error;
  auto bytes = model::base64_decode(*text, &error);
  if (!bytes) throw ApiError::validation(std::string("Invalid ") + member + ": " + error);
  return bytes;
}

int64_t limit_of(Params& p) {
  auto limit = p.integer("Limit");
  p.value_between(limit, "limit", 1, kMaxLimit);
  return limit.value_or(kDefaultLimit);
}

// SnapshotId, required.
std::string snapshot_id(Params& p) {
  auto id = p.string("SnapshotId");
  p.not_null(id ? &*id : nullptr, "snapshotId");
  return id ? std::string(*id) : std::string();
}

// Table id -> number, from a JSON object of them (Tables, Applied).
std::map<std::string, uint64_t> positions(const rapidjson::Value* object) {
  std::map<std::string, uint64_t> out;
  if (!object) return out;
  Params::expect_object(*object);
  for (const auto& m : object->GetObject()) {
    const int64_t n = Params::integer_at(m.value);
    if (n < 0) throw ApiError::validation("A log position is not negative");
    out.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                static_cast<uint64_t>(n));
  }
  return out;
}

struct LogRead {
  std::vector<std::pair<uint64_t, std::string>> records;
  uint64_t next = 0;
  uint64_t end = 0;
};

// Table `table`'s change log from `from` on, at most about `limit` records
// and kMaxLogBytes, never a part of a group: a group with a record below
// `next` is whole in `records`.
LogRead read_log(storage::Table& table, uint64_t from, size_t limit) {
  LogRead out;
  out.end = table.stream_visible_end();
  out.next = std::max<uint64_t>(from, 1);
  // Groups seen but not whole yet: first number -> records seen.
  std::map<uint64_t, uint64_t> open;
  size_t bytes = 0;
  bool stopped = false;
  table.read_stream(storage::kChangeLogStream, from, out.end,
                    [&](uint64_t sequence, std::string_view stored) {
                      const storage::StreamRecord r = storage::decode_stream_record(stored);
                      if (r.group && ++open[r.group->first] == r.group->size)
                        open.erase(r.group->first);
                      out.records.emplace_back(sequence, std::string(stored));
                      bytes += stored.size();
                      out.next = sequence + 1;
                      stopped = out.records.size() >= limit || bytes >= kMaxLogBytes;
                      return !(stopped && open.empty());
                    });
  // Read to the end: every number below it is committed or never will be.
  if (!stopped) out.next = out.end;
  // A group some of whose numbers are not visible yet (a write set still
  // in flight holds a lower number) waits for the next answer, whole.
  if (!open.empty()) out.next = std::min(out.next, open.begin()->first);
  while (!out.records.empty() && out.records.back().first >= out.next)
    out.records.pop_back();
  return out;
}

}  // namespace

void replication_catalog(Context& ctx, const rapidjson::Value& request,
                         model::JsonWriter& out) {
  Params p(request);
  p.check();
  source(ctx);
  out.StartObject();
  write_primary(ctx, out);
  out.Key("Tables");
  out.StartArray();
  for (const std::string& name : ctx.catalog.names()) {
    auto table = ctx.catalog.find(name);  // null: being restored
    if (!table) continue;
    const storage::TableSchema schema = table->schema();
    out.StartObject();
    out.Key("TableName");
    out.String(schema.name);
    out.Key("TableId");
    out.String(schema.id);
    out.Key("Schema");
    write_schema(schema, out);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

void replication_snapshot(Context& ctx, const rapidjson::Value& request,
                          model::JsonWriter& out) {
  Params p(request);
  std::optional<std::string> name;
  if (p.string("TableName") || !p.list("TableNames")) name = p.table_name();
  // TableNames: the tables to take at one moment. A follower sends the
  // first as TableName too, which a primary before them answers alone.
  std::vector<std::string> names;
  if (const rapidjson::Value* list = p.list("TableNames")) {
    for (const auto& v : list->GetArray()) names.emplace_back(Params::string_at(v));
    p.value_between(static_cast<int64_t>(names.size()), "tableNames", 1,
                    kMaxSnapshotTables);
  }
  p.check();
  const bool several = !names.empty();
  if (!several) names.push_back(*name);
  if (name && std::find(names.begin(), names.end(), *name) == names.end())
    throw ApiError::validation("TableName " + *name + " is not among TableNames");
  ReplicationSource& src = source(ctx);
  std::vector<std::shared_ptr<storage::Table>> tables;
  std::vector<storage::Table*> taking;
  std::set<std::string_view> seen;
  for (const std::string& n : names) {
    if (!seen.insert(n).second)
      throw ApiError::validation("TableNames names table " + n + " more than once");
    tables.push_back(ctx.catalog.find(n));
    if (!tables.back())
      throw ApiError::resource_not_found("Requested resource not found: Table: " + n +
                                         " not found");
    taking.push_back(tables.back().get());
  }
  const auto taken = src.snapshots.take(taking);
  auto write_taken = [&](const storage::ReplicationSnapshots::Taken& t) {
    out.Key("SnapshotId");
    out.String(t.id);
    out.Key("TableId");
    out.String(t.schema.id);
    out.Key("Schema");
    write_schema(t.schema, out);
    out.Key("LogPosition");
    out.Uint64(t.position);
  };
  out.StartObject();
  if (several) {
    out.Key("Snapshots");
    out.StartArray();
    for (size_t i = 0; i < taken.size(); ++i) {
      out.StartObject();
      out.Key("TableName");
      out.String(names[i]);
      write_taken(taken[i]);
      out.EndObject();
    }
    out.EndArray();
  } else {
    write_taken(taken[0]);
  }
  out.EndObject();
}

void replication_snapshot_page(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out) {
  Params p(request);
  const std::string id = snapshot_id(p);
  const int64_t limit = limit_of(p);
  auto start = decoded(p.string("ExclusiveStartKey"), "ExclusiveStartKey");
  p.check();
  ReplicationSource& src = source(ctx);
  out.StartObject();
  out.Key("Items");
  out.StartArray();
  auto last = src.snapshots.page(id, start, static_cast<size_t>(limit),
                                 [&](std::string_view stored) {
                                   out.String(model::base64_encode(stored));
                                 });
  out.EndArray();
  if (last) {
    out.Key("LastEvaluatedKey");
    out.String(model::base64_encode(*last));
  }
  out.EndObject();
}

void replication_snapshot_done(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out) {
  Params p(request);
  const std::string id = snapshot_id(p);
  p.check();
  source(ctx).snapshots.done(id);
  out.StartObject();
  out.EndObject();
}

void replication_log(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  const rapidjson::Value* follower = p.object("Follower");
  p.not_null(follower, "follower");
  const int64_t limit = limit_of(p);
  p.check();
  Params who(*follower);
  auto id = who.string("Id");
  auto url = who.string("Url");
  who.not_null(id ? &*id : nullptr, "follower.id");
  who.not_null(url ? &*url : nullptr, "follower.url");
  who.check();
  const auto asked = positions(p.object("Tables"));
  auto applied = positions(p.object("Applied"));
  ReplicationSource& src = source(ctx);
  if (auto* sync = ctx.catalog.replication_sync())
    for (const auto& [table_id, next] : applied) sync->applied(table_id, next);
  src.followers.seen(std::string(*id), std::string(*url), std::move(applied),
                     clock::now_ms());

  out.StartObject();
  write_primary(ctx, out);
  out.Key("TimeMs");
  out.Int64(clock::now_ms());
  out.Key("Tables");
  out.StartObject();
  // One pass over the catalog, not one per table asked.
  const auto tables = ctx.catalog.tables_by_id();
  for (const auto& [table_id, from] : asked) {
    out.Key(table_id.c_str(), static_cast<rapidjson::SizeType>(table_id.size()));
    out.StartObject();
    auto found = tables.find(table_id);
    storage::Table* table = found == tables.end() ? nullptr : found->second.get();
    if (!table) {
      out.Key("Gone");
      out.Bool(true);
      out.EndObject();
      continue;
    }
    // Below the horizon the records are gone; past the end the number is
    // from another log (the table's was started again).
    const uint64_t horizon = table->stream_shards(storage::change_log_stream()).horizon;
    LogRead read;
    if (from > horizon) read = read_log(*table, from, static_cast<size_t>(limit));
    if (from <= horizon || from > read.end) {
      out.Key("Trimmed");
      out.Bool(true);
      out.EndObject();
      continue;
    }
    out.Key("Records");
    out.StartArray();
    for (const auto& [sequence, stored] : read.records) {
      out.StartObject();
      out.Key("Sequence");
      out.Uint64(sequence);
      out.Key("Record");
      out.String(model::base64_encode(stored));
      out.EndObject();
    }
    out.EndArray();
    out.Key("Next");
    out.Uint64(read.next);
    out.Key("End");
    out.Uint64(read.end);
    out.EndObject();
  }
  out.EndObject();
  out.EndObject();
}

}  // namespace jormun::ops
