#include "ops/streams_api.h"

#include <algorithm>
#include <vector>

#include "common/api_error.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "ops/params.h"
#include "ops/shard_iterator.h"
#include "ops/stream_record_json.h"
#include "ops/stream_specification.h"
#include "storage/stream_shards.h"

namespace jormun::ops {
namespace {

using storage::StreamSchema;

// DynamoDB Streams' bounds (API reference).
constexpr int64_t kMaxListLimit = 100;
constexpr int64_t kMaxRecordsLimit = 1000;
constexpr size_t kMaxRecordsBytes = 1024 * 1024;

// A stream found from its ARN, with the table holding it.
struct Located {
  std::shared_ptr<storage::Table> table;
  storage::TableSchema schema;  // as it was when found
  StreamSchema stream;
};

ApiError stream_not_found(std::string_view arn) {
  return ApiError::resource_not_found(
      "Requested resource not found: Stream: " + std::string(arn) + " not found");
}

// The table of that name and the deleted ones of that name whose streams
// are still readable (storage::Catalog::retired).
std::vector<std::shared_ptr<storage::Table>> tables_named(Context& ctx,
                                                          std::string_view name) {
  std::vector<std::shared_ptr<storage::Table>> out;
  if (auto table = ctx.catalog.find(name)) out.push_back(std::move(table));
  for (auto& table : ctx.catalog.retired())
    if (table->schema().name == name) out.push_back(std::move(table));
  return out;
}

// arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>
Located locate(Context& ctx, std::string_view arn) {
  const std::string_view table_part = "table/";
  const std::string_view stream_part = "/stream/";
  const size_t t = arn.find(table_part);
  const size_t s = arn.find(stream_part);
  if (!arn.starts_with("arn:") || t == std::string_view::npos ||
      s == std::string_view::npos || s < t)
    throw ApiError::validation("Invalid StreamArn");
  const std::string_view name =
      arn.substr(t + table_part.size(), s - t - table_part.size());
  const std::string_view label = arn.substr(s + stream_part.size());
  for (auto& table : tables_named(ctx, name)) {
    Located l{table, table->schema(), {}};
    for (const auto& st : l.schema.streams)
      if (st.label == label) {
        l.stream = st;
        return l;
      }
  }
  throw stream_not_found(arn);
}

// A stream's shards as readers see them: those with a record left or
// still to come (DynamoDB drops shards once their records are trimmed),
// each with the number its successor starts at.
constexpr uint64_t kNoEnd = ~uint64_t{0};

struct Shard {
  storage::StreamShard shard;
  uint64_t end = kNoEnd;  // exclusive; none for the last
  bool closed = false;    // gets no more records
};

// Whether every record a closed shard ending at `end` will ever have is
// visible: none numbered below its end is still in flight. (The last shard
// closes when its stream is disabled, and a disabled stream takes no number.)
bool settled(storage::Table& table, uint64_t end) {
  return end == kNoEnd || table.stream_visible_end() >= end;
}

std::vector<Shard> shards_of(const Located& l) {
  const storage::Table::StreamShards all = l.table->stream_shards(l.stream);
  std::vector<Shard> out;
  for (size_t i = 0; i < all.shards.size(); ++i) {
    Shard s{all.shards[i]};
    if (i + 1 < all.shards.size()) s.end = all.shards[i + 1].first;
    s.closed = i + 1 < all.shards.size() || !l.stream.enabled;
    // Trimmed through: every number it could hold is at or below the horizon.
    if (s.end != kNoEnd && s.end <= all.horizon + 1) continue;
    out.push_back(std::move(s));
  }
  return out;
}

ApiError trimmed(std::string_view sequence) {
  return ApiError("TrimmedDataAccessException",
                  "The requested sequence number " + std::string(sequence) +
                      " is beyond the trim horizon of the shard");
}

void check_limit(Params& p, std::optional<int64_t> limit, int64_t max) {
  p.value_between(limit, "limit", 1, max);
}

std::string required_string(Params& p, const char* member, const std::string& path) {
  auto v = p.string(member);
  p.not_null(v ? &*v : nullptr, path);
  return v ? std::string(*v) : std::string();
}

}  // namespace

void list_streams(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  auto start = p.string("ExclusiveStartStreamArn");
  auto limit = p.integer("Limit");
  check_limit(p, limit, kMaxListLimit);
  std::optional<std::string> table_name;
  if (p.string("TableName")) table_name = p.table_name();
  p.check();
  std::vector<std::shared_ptr<storage::Table>> tables;
  if (table_name) {
    tables = tables_named(ctx, *table_name);
    if (tables.empty())
      throw ApiError::resource_not_found(
          "Requested resource not found: Table: " + *table_name + " not found");
  } else {
    for (const auto& name : ctx.catalog.names())
      if (auto table = ctx.catalog.find(name)) tables.push_back(std::move(table));
    for (auto& table : ctx.catalog.retired()) tables.push_back(std::move(table));
  }
  std::vector<std::pair<std::string, std::string>> streams;  // table, label
  for (const auto& table : tables)
    for (const auto& st : table->schema().streams)
      streams.emplace_back(table->schema().name, st.label);
  // By table name, a deleted table's streams next to the live one's.
  std::stable_sort(streams.begin(), streams.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t from = 0;
  if (start) {
    while (from < streams.size() && stream_arn(ctx.config.region, streams[from].first,
                                               streams[from].second) != *start)
      ++from;
    from = from < streams.size() ? from + 1 : streams.size();
  }
  const size_t max = static_cast<size_t>(limit.value_or(kMaxListLimit));
  out.StartObject();
  out.Key("Streams");
  out.StartArray();
  size_t i = from;
  for (; i < streams.size() && i - from < max; ++i) {
    out.StartObject();
    out.Key("StreamArn");
    out.String(stream_arn(ctx.config.region, streams[i].first, streams[i].second));
    out.Key("TableName");
    out.String(streams[i].first);
    out.Key("StreamLabel");
    out.String(streams[i].second);
    out.EndObject();
  }
  out.EndArray();
  if (i < streams.size()) {
    out.Key("LastEvaluatedStreamArn");
    out.String(
        stream_arn(ctx.config.region, streams[i - 1].first, streams[i - 1].second));
  }
  out.EndObject();
}

void describe_stream(Context& ctx, const rapidjson::Value& request,
                     model::JsonWriter& out) {
  Params p(request);
  auto start = p.string("ExclusiveStartShardId");
  auto limit = p.integer("Limit");
  check_limit(p, limit, kMaxListLimit);
  const std::string arn = required_string(p, "StreamArn", "streamArn");
  p.check();
  Located l = locate(ctx, arn);
  const std::vector<Shard> shards = shards_of(l);
  out.StartObject();
  out.Key("StreamDescription");
  out.StartObject();
  out.Key("StreamArn");
  out.String(arn);
  out.Key("StreamLabel");
  out.String(l.stream.label);
  out.Key("StreamStatus");
  out.String(l.stream.enabled ? "ENABLED" : "DISABLED");
  out.Key("StreamViewType");
  out.String(view_name(l.stream.view));
  out.Key("CreationRequestDateTime");
  out.Double(static_cast<double>(storage::label_ms(l.stream.label)) / 1000.0);
  out.Key("TableName");
  out.String(l.schema.name);
  out.Key("KeySchema");
  out.StartArray();
  auto key = [&](const std::string& name, const char* type) {
    out.StartObject();
    out.Key("AttributeName");
    out.String(name);
    out.Key("KeyType");
    out.String(type);
    out.EndObject();
  };
  key(l.schema.partition_key.name, "HASH");
  if (l.schema.sort_key) key(l.schema.sort_key->name, "RANGE");
  out.EndArray();
  out.Key("Shards");
  out.StartArray();
  size_t i = 0;
  if (start) {
    while (i < shards.size() && shards[i].shard.id != *start) ++i;
    i = i < shards.size() ? i + 1 : shards.size();
  }
  const size_t max = static_cast<size_t>(limit.value_or(kMaxListLimit));
  const size_t from = i;
  for (; i < shards.size() && i - from < max; ++i) {
    const Shard& s = shards[i];
    out.StartObject();
    out.Key("ShardId");
    out.String(s.shard.id);
    if (!s.shard.parent.empty()) {
      out.Key("ParentShardId");
      out.String(s.shard.parent);
    }
    // The range shows the records there are: a shard without any has
    // neither number; a closed one gets its end once no record of it is
    // still in flight.
    out.Key("SequenceNumberRange");
    out.StartObject();
    if (auto bounds = l.table->stream_bounds(l.stream.number, s.shard.first, s.end)) {
      out.Key("StartingSequenceNumber");
      out.String(storage::format_sequence(bounds->first));
      if (s.closed && settled(*l.table, s.end)) {
        out.Key("EndingSequenceNumber");
        out.String(storage::format_sequence(bounds->last));
      }
    }
    out.EndObject();
    out.EndObject();
  }
  out.EndArray();
  if (i < shards.size()) {
    out.Key("LastEvaluatedShardId");
    out.String(shards[i - 1].shard.id);
  }
  out.EndObject();
  out.EndObject();
}

void get_shard_iterator(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out) {
  Params p(request);
  const std::string arn = required_string(p, "StreamArn", "streamArn");
  const std::string shard = required_string(p, "ShardId", "shardId");
  auto type = p.string("ShardIteratorType");
  p.not_null(type ? &*type : nullptr, "shardIteratorType");
  p.one_of(type, "shardIteratorType",
           {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"});
  auto sequence_text = p.string("SequenceNumber");
  p.check();
  Located l = locate(ctx, arn);
  const std::vector<Shard> shards = shards_of(l);
  const Shard* found = nullptr;
  for (const Shard& s : shards)
    if (s.shard.id == shard) found = &s;
  if (!found)
    throw ApiError::resource_not_found("Requested resource not found: Shard: " + shard +
                                       " in Stream: " + arn + " not found");
  const uint64_t horizon = l.table->stream_shards(l.stream).horizon;
  const uint64_t first = std::max(found->shard.first, horizon + 1);
  ShardIterator it{l.schema.name, l.schema.id, l.stream.number, found->shard.first, first,
                   clock::now_ms()};
  const bool at = *type == "AT_SEQUENCE_NUMBER";
  if (at || *type == "AFTER_SEQUENCE_NUMBER") {
    if (!sequence_text)
      throw ApiError::validation(
          "Must specify SequenceNumber when ShardIteratorType is " + std::string(*type));
    auto sequence = storage::parse_sequence(*sequence_text);
    if (!sequence)
      throw ApiError::validation("Invalid SequenceNumber: " +
                                 std::string(*sequence_text));
    // Trimmed, or before the shard's first record (a number it never had).
    auto bounds = l.table->stream_bounds(l.stream.number, first, found->end);
    if (!bounds || *sequence < bounds->first) throw trimmed(*sequence_text);
    it.position = at ? *sequence : *sequence + 1;
  } else if (*type == "LATEST") {
    // Past every record the shard has now.
    auto bounds = l.table->stream_bounds(l.stream.number, first, found->end);
    if (bounds) it.position = bounds->last + 1;
  }
  out.StartObject();
  out.Key("ShardIterator");
  out.String(encode_shard_iterator(it, iterator_key()));
  out.EndObject();
}

void get_records(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  auto limit = p.integer("Limit");
  check_limit(p, limit, kMaxRecordsLimit);
  const std::string text = required_string(p, "ShardIterator", "shardIterator");
  if (!text.empty()) p.length_between(text, "shardIterator", 1, 2048);
  p.check();
  auto it = decode_shard_iterator(text, iterator_key());
  if (!it) throw ApiError::validation("Invalid ShardIterator");
  if (clock::now_ms() - it->created_ms > kIteratorLifetimeMs)
    throw ApiError("ExpiredIteratorException",
                   "The provided iterator exceeds the maximum age allowed.");
  std::shared_ptr<storage::Table> table;
  const StreamSchema* stream = nullptr;
  for (auto& t : tables_named(ctx, it->table))
    if (t->schema().id == it->table_id) {
      table = std::move(t);
      for (const auto& st : table->schema().streams)
        if (st.number == it->stream) stream = &st;
      break;
    }
  if (!stream)
    throw ApiError::resource_not_found("Requested resource not found: Stream of table " +
                                       it->table + " not found");
  const storage::Table::StreamShards state = table->stream_shards(*stream);
  // The iterator's shard: where it ends, and whether it gets more records.
  uint64_t end = kNoEnd;
  for (const auto& shard : state.shards)
    if (shard.first > it->shard) {
      end = shard.first;
      break;
    }
  const bool closed = end != kNoEnd || !stream->enabled;
  if (it->position <= state.horizon)
    throw ApiError("TrimmedDataAccessException",
                   "The data you are trying to access has been trimmed.");
  const size_t max = static_cast<size_t>(limit.value_or(kMaxRecordsLimit));
  size_t count = 0, bytes = 0;
  uint64_t next = it->position;
  out.StartObject();
  out.Key("Records");
  out.StartArray();
  table->read_stream(it->stream, it->position, end,
                     [&](uint64_t sequence, std::string_view v) {
                       storage::StreamRecord r = storage::decode_stream_record(v);
                       const size_t size = storage::stream_record_size(r);
                       if (count > 0 && bytes + size > kMaxRecordsBytes) return false;
                       write_stream_record(r, *stream, sequence, ctx.config.region, out);
                       bytes += size;
                       next = sequence + 1;
                       return ++count < max;
                     });
  out.EndArray();
  metrics::Registry::global()
      .counter("jormun_returned_records_count_total",
               "Stream records returned by GetRecords (CloudWatch "
               "ReturnedRecordsCount), by table.",
               {"table"})
      .with({it->table})
      .add(count);
  // A closed shard is read through once nothing of it is left to read nor
  // still in flight: it gets no more records.
  const bool read_through =
      closed && settled(*table, end) && !table->stream_bounds(it->stream, next, end);
  if (!read_through) {
    ShardIterator following = *it;
    following.position = next;
    following.created_ms = clock::now_ms();
    out.Key("NextShardIterator");
    out.String(encode_shard_iterator(following, iterator_key()));
  }
  out.EndObject();
}

}  // namespace jormun::ops
