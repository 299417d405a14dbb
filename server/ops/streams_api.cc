#include "ops/streams_api.h"

#include <chrono>
#include <ctime>

#include "common/api_error.h"
#include "ops/params.h"
#include "ops/shard_iterator.h"
#include "ops/stream_record_json.h"
#include "ops/stream_specification.h"

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

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ApiError stream_not_found(std::string_view arn) {
  return ApiError::resource_not_found(
      "Requested resource not found: Stream: " + std::string(arn) + " not found");
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
  auto table = ctx.catalog.find(name);
  if (!table) throw stream_not_found(arn);
  Located l{table, table->schema(), {}};
  for (const auto& st : l.schema.streams)
    if (st.label == label) {
      l.stream = st;
      return l;
    }
  throw stream_not_found(arn);
}

std::string shard_id(const storage::TableSchema& schema, const StreamSchema& stream) {
  std::string id = storage::format_sequence(stream.number).substr(1);  // 20 digits
  std::string table_id;
  for (char c : schema.id)
    if (c != '-' && table_id.size() < 8) table_id.push_back(c);
  return "shardId-" + id + "-" + table_id;
}

// The stream's creation time, from its label, in epoch seconds.
double label_seconds(const std::string& label) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(label.c_str(), "%d-%d-%dT%d:%d:%d.%d", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) + ms / 1000.0;
}

void check_limit(Params& p, std::optional<int64_t> limit, int64_t max) {
  if (limit && *limit < 1)
    p.violation("'" + std::to_string(*limit) + "'", "limit",
                "Member must have value greater than or equal to 1");
  if (limit && *limit > max)
    p.violation("'" + std::to_string(*limit) + "'", "limit",
                "Member must have value less than or equal to " + std::to_string(max));
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
  std::vector<std::string> names;
  if (table_name) {
    if (!ctx.catalog.find(*table_name))
      throw ApiError::resource_not_found(
          "Requested resource not found: Table: " + *table_name + " not found");
    names.push_back(*table_name);
  } else {
    names = ctx.catalog.names();
  }
  std::vector<std::pair<std::string, std::string>> streams;  // table, label
  for (const auto& name : names)
    if (auto table = ctx.catalog.find(name))
      for (const auto& st : table->schema().streams) streams.emplace_back(name, st.label);
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
  const std::string shard = shard_id(l.schema, l.stream);
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
  out.Double(label_seconds(l.stream.label));
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
  if (!start || *start != shard) {
    out.StartObject();
    out.Key("ShardId");
    out.String(shard);
    // The range shows the records there are: an open shard without any
    // has neither number.
    out.Key("SequenceNumberRange");
    out.StartObject();
    if (auto bounds = l.table->stream_bounds(l.stream.number)) {
      out.Key("StartingSequenceNumber");
      out.String(storage::format_sequence(bounds->first));
      if (!l.stream.enabled) {
        out.Key("EndingSequenceNumber");
        out.String(storage::format_sequence(bounds->last));
      }
    }
    out.EndObject();
    out.EndObject();
  }
  out.EndArray();
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
  if (shard != shard_id(l.schema, l.stream))
    throw ApiError::resource_not_found("Requested resource not found: Shard: " + shard +
                                       " in Stream: " + arn + " not found");
  ShardIterator it{l.schema.name, l.schema.id, l.stream.number, 0, now_ms()};
  const bool at = *type == "AT_SEQUENCE_NUMBER";
  if (at || *type == "AFTER_SEQUENCE_NUMBER") {
    if (!sequence_text)
      throw ApiError::validation(
          "Must specify SequenceNumber when ShardIteratorType is " + std::string(*type));
    auto sequence = storage::parse_sequence(*sequence_text);
    if (!sequence)
      throw ApiError::validation("Invalid SequenceNumber: " +
                                 std::string(*sequence_text));
    // Nothing is trimmed; a number before the stream's first record is one
    // this shard never had.
    auto bounds = l.table->stream_bounds(l.stream.number);
    if (!bounds || *sequence < bounds->first)
      throw ApiError("TrimmedDataAccessException",
                     "The requested sequence number " + std::string(*sequence_text) +
                         " is beyond the trim horizon of the shard");
    it.position = at ? *sequence : *sequence + 1;
  } else if (*type == "LATEST") {
    // Past every record there is now.
    auto bounds = l.table->stream_bounds(l.stream.number);
    it.position = bounds ? bounds->last + 1 : 0;
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
  if (now_ms() - it->created_ms > kIteratorLifetimeMs)
    throw ApiError("ExpiredIteratorException",
                   "The provided iterator exceeds the maximum age allowed.");
  auto table = ctx.catalog.find(it->table);
  const storage::TableSchema* schema = table ? &table->schema() : nullptr;
  const StreamSchema* stream = nullptr;
  if (schema && schema->id == it->table_id)
    for (const auto& st : schema->streams)
      if (st.number == it->stream) stream = &st;
  if (!stream)
    throw ApiError::resource_not_found("Requested resource not found: Stream of table " +
                                       it->table + " not found");
  // Read once: a disabled stream gets no more records, so one read through to
  // its end is the end for good.
  const bool closed = !stream->enabled;
  const size_t max = static_cast<size_t>(limit.value_or(kMaxRecordsLimit));
  size_t count = 0, bytes = 0;
  uint64_t next = it->position;
  out.StartObject();
  out.Key("Records");
  out.StartArray();
  table->read_stream(it->stream, it->position,
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
  bool read_through = false;
  if (closed) {
    auto bounds = table->stream_bounds(it->stream);
    read_through = !bounds || next > bounds->last;
  }
  if (!read_through) {
    ShardIterator following = *it;
    following.position = next;
    following.created_ms = now_ms();
    out.Key("NextShardIterator");
    out.String(encode_shard_iterator(following, iterator_key()));
  }
  out.EndObject();
}

}  // namespace jormun::ops
