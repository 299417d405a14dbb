#include "replication/primary_link.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <stdexcept>

#include "common/json_writer.h"
#include "model/base64.h"
#include "model/item_codec.h"
#include "storage/catalog_file.h"
#include "storage/stream_record.h"

namespace jormun::replication {
namespace {

[[noreturn]] void malformed(std::string_view action, std::string_view what) {
  throw std::runtime_error("the primary's " + std::string(action) +
                           " answer: " + std::string(what));
}

const rapidjson::Value& member(const rapidjson::Value& v, const char* name,
                               std::string_view action) {
  if (!v.IsObject()) malformed(action, "not an object");
  auto m = v.FindMember(name);
  if (m == v.MemberEnd()) malformed(action, std::string("no ") + name);
  return m->value;
}

std::string string_of(const rapidjson::Value& v, const char* name,
                      std::string_view action) {
  const auto& m = member(v, name, action);
  if (!m.IsString()) malformed(action, std::string(name) + " is not a string");
  return {m.GetString(), m.GetStringLength()};
}

uint64_t number_of(const rapidjson::Value& v, const char* name, std::string_view action) {
  const auto& m = member(v, name, action);
  if (!m.IsUint64()) malformed(action, std::string(name) + " is not a whole number");
  return m.GetUint64();
}

std::string decoded(const rapidjson::Value& v, std::string_view action) {
  if (!v.IsString()) malformed(action, "base64 data is not a string");
  std::string error;
  auto bytes = model::base64_decode({v.GetString(), v.GetStringLength()}, &error);
  if (!bytes) malformed(action, "bad base64: " + error);
  return std::move(*bytes);
}

storage::TableSchema schema_of(const rapidjson::Value& v, std::string_view action) {
  const auto& s = member(v, "Schema", action);
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> w(text);
  s.Accept(w);
  return storage::table_from_json({text.GetString(), text.GetSize()},
                                  "the primary's schema");
}

std::string object_text(const std::function<void(JsonWriter&)>& fill) {
  rapidjson::StringBuffer text;
  JsonWriter w(text);
  w.StartObject();
  fill(w);
  w.EndObject();
  return {text.GetString(), text.GetSize()};
}

void write_positions(JsonWriter& w, const char* name,
                     const std::map<std::string, uint64_t>& positions) {
  w.Key(name);
  w.StartObject();
  for (const auto& [id, n] : positions) {
    w.Key(id.c_str());
    w.Uint64(n);
  }
  w.EndObject();
}

}  // namespace

client::Endpoint primary_endpoint(const config::ReplicationConfig& config) {
  client::Endpoint e = client::parse_endpoint(config.follow, "replication.follow");
  e.ca_file = config.ca_file;
  // A primary without auth takes any key, but wants a signature all the same.
  e.credentials = {
      config.access_key_id.empty() ? "jormun-replica" : config.access_key_id,
      config.secret_access_key.empty() ? "jormun-replica" : config.secret_access_key, ""};
  return e;
}

PrimaryLink::PrimaryLink(const config::ReplicationConfig& config)
    : client_(primary_endpoint(config)) {}

PrimaryCatalog PrimaryLink::catalog() {
  constexpr std::string_view kAction = "JormunReplicationCatalog";
  auto doc = client_.call(kAction, "{}");
  PrimaryCatalog c;
  c.primary_id = string_of(doc, "PrimaryId", kAction);
  c.version = string_of(doc, "CatalogVersion", kAction);
  const auto& tables = member(doc, "Tables", kAction);
  if (!tables.IsArray()) malformed(kAction, "Tables is not a list");
  for (const auto& t : tables.GetArray()) {
    storage::TableSchema schema = schema_of(t, kAction);
    schema.name = string_of(t, "TableName", kAction);
    schema.id = string_of(t, "TableId", kAction);
    c.tables.push_back(std::move(schema));
  }
  return c;
}

std::vector<Snapshot> PrimaryLink::snapshots(const std::vector<std::string>& tables) {
  constexpr std::string_view kAction = "JormunReplicationSnapshot";
  // The primary answers once it has taken the tables' checkpoints, which
  // copy the engine's files on some engines (LMDB, SQLite): far longer
  // than the other actions' 60 s for large tables.
  constexpr std::chrono::hours kCheckpointTimeout{1};
  auto doc = client_.call(kAction,
                          object_text([&](JsonWriter& w) {
                            w.Key("TableName");
                            w.String(tables.at(0).c_str());
                            w.Key("TableNames");
                            w.StartArray();
                            for (const auto& t : tables) w.String(t.c_str());
                            w.EndArray();
                          }),
                          kCheckpointTimeout);
  auto read = [&](const rapidjson::Value& v, const std::string& table) {
    Snapshot s;
    s.id = string_of(v, "SnapshotId", kAction);
    s.schema = schema_of(v, kAction);
    s.schema.name = table;
    s.schema.id = string_of(v, "TableId", kAction);
    s.log_position = number_of(v, "LogPosition", kAction);
    return s;
  };
  auto several = doc.FindMember("Snapshots");
  if (several == doc.MemberEnd()) return {read(doc, tables[0])};
  if (!several->value.IsArray() || several->value.Size() != tables.size())
    malformed(kAction, "Snapshots is not a list of one per table asked");
  std::vector<Snapshot> out;
  for (rapidjson::SizeType i = 0; i < several->value.Size(); ++i) {
    if (string_of(several->value[i], "TableName", kAction) != tables[i])
      malformed(kAction, "Snapshots are not in the order of the tables asked");
    out.push_back(read(several->value[i], tables[i]));
  }
  return out;
}

SnapshotPage PrimaryLink::page(const std::string& snapshot_id,
                               const std::optional<std::string>& after) {
  constexpr std::string_view kAction = "JormunReplicationSnapshotPage";
  auto doc = client_.call(kAction, object_text([&](JsonWriter& w) {
                            w.Key("SnapshotId");
                            w.String(snapshot_id.c_str());
                            if (after) {
                              w.Key("ExclusiveStartKey");
                              w.String(after->c_str());
                            }
                            w.Key("Limit");
                            w.Uint(1000);
                          }));
  SnapshotPage p;
  const auto& items = member(doc, "Items", kAction);
  if (!items.IsArray()) malformed(kAction, "Items is not a list");
  for (const auto& item : items.GetArray())
    p.items.push_back(model::decode_item(decoded(item, kAction)));
  if (auto last = doc.FindMember("LastEvaluatedKey"); last != doc.MemberEnd()) {
    if (!last->value.IsString()) malformed(kAction, "LastEvaluatedKey is not a string");
    p.last_key = std::string(last->value.GetString(), last->value.GetStringLength());
  }
  return p;
}

void PrimaryLink::snapshot_done(const std::string& snapshot_id) {
  client_.call("JormunReplicationSnapshotDone", object_text([&](JsonWriter& w) {
                 w.Key("SnapshotId");
                 w.String(snapshot_id.c_str());
               }));
}

LogAnswer PrimaryLink::log(const LogRequest& request) {
  constexpr std::string_view kAction = "JormunReplicationLog";
  auto doc = client_.call(kAction, object_text([&](JsonWriter& w) {
                            w.Key("Follower");
                            w.StartObject();
                            w.Key("Id");
                            w.String(request.follower_id.c_str());
                            w.Key("Url");
                            w.String(request.follower_url.c_str());
                            w.EndObject();
                            write_positions(w, "Tables", request.from);
                            write_positions(w, "Applied", request.applied);
                            w.Key("Limit");
                            w.Uint(request.limit);
                          }));
  LogAnswer a;
  a.primary_id = string_of(doc, "PrimaryId", kAction);
  a.catalog_version = string_of(doc, "CatalogVersion", kAction);
  a.time_ms = static_cast<int64_t>(number_of(doc, "TimeMs", kAction));
  const auto& tables = member(doc, "Tables", kAction);
  if (!tables.IsObject()) malformed(kAction, "Tables is not an object");
  for (const auto& [id, t] : tables.GetObject()) {
    TableLog& out = a.tables[std::string(id.GetString(), id.GetStringLength())];
    if (!t.IsObject()) malformed(kAction, "a table's part is not an object");
    if (t.HasMember("Gone")) {
      out.gone = true;
      continue;
    }
    if (t.HasMember("Trimmed")) {
      out.trimmed = true;
      continue;
    }
    out.next = number_of(t, "Next", kAction);
    out.end = number_of(t, "End", kAction);
    const auto& records = member(t, "Records", kAction);
    if (!records.IsArray()) malformed(kAction, "Records is not a list");
    for (const auto& r : records.GetArray())
      out.records.push_back({number_of(r, "Sequence", kAction),
                             storage::decode_stream_record(
                                 decoded(member(r, "Record", kAction), kAction))});
  }
  return a;
}

}  // namespace jormun::replication
