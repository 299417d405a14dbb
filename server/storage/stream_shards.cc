#include "storage/stream_shards.h"

#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "storage/stream_record.h"

namespace jormun::storage {
namespace {

constexpr char kHorizonTag = 'h';
constexpr char kShardTag = 's';
constexpr char kReplicaTag = 'r';
constexpr uint64_t kReplicaStream = ~uint64_t{0};
constexpr size_t kRecordKeySize = 16;

void put_u64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>(v >> shift));
}

uint64_t get_u64(std::string_view bytes, size_t at) {
  if (bytes.size() < at + 8) throw std::runtime_error("stream shard: truncated");
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
  return v;
}

std::string shard_id(std::string_view table_id, uint64_t middle) {
  std::string tail;
  for (char c : table_id)
    if (c != '-' && tail.size() < 8) tail.push_back(c);
  return "shardId-" + format_sequence(middle).substr(1) + "-" + tail;
}

}  // namespace

std::string first_shard_id(std::string_view table_id, uint64_t stream) {
  return shard_id(table_id, stream);
}

std::string later_shard_id(std::string_view table_id, int64_t created_ms) {
  return shard_id(table_id, static_cast<uint64_t>(created_ms));
}

int64_t label_ms(std::string_view label) {
  std::tm tm{};
  int ms = 0;
  const std::string text(label);
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%d", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

std::string stream_meta_begin(uint64_t stream) { return stream_record_key(stream, 0); }
std::string stream_meta_end(uint64_t stream) { return stream_record_key(stream, 1); }

bool is_stream_meta_key(std::string_view key) { return key.size() > kRecordKeySize; }

std::string horizon_key(uint64_t stream) {
  return stream_record_key(stream, 0) + kHorizonTag;
}

std::string encode_horizon(uint64_t last_trimmed) {
  std::string out;
  put_u64(&out, last_trimmed);
  return out;
}

uint64_t decode_horizon(std::string_view value) { return get_u64(value, 0); }

std::string replica_position_key() {
  return stream_record_key(kReplicaStream, 0) + kReplicaTag;
}

std::string encode_replica_position(uint64_t next) { return encode_horizon(next); }

uint64_t decode_replica_position(std::string_view value) { return get_u64(value, 0); }

std::string shard_key(uint64_t stream, uint64_t first) {
  std::string key = stream_record_key(stream, 0) + kShardTag;
  put_u64(&key, first);
  return key;
}

std::string encode_shard(const StreamShard& shard) {
  std::string out;
  put_u64(&out, static_cast<uint64_t>(shard.created_ms));
  return out + shard.parent;
}

std::optional<StreamShard> decode_shard(std::string_view key, std::string_view value,
                                        std::string_view table_id) {
  if (key.size() == kRecordKeySize + 1 && key.back() == kHorizonTag) return std::nullopt;
  if (key.size() != kRecordKeySize + 9 || key[kRecordKeySize] != kShardTag)
    throw std::runtime_error("stream shard: unknown key");
  StreamShard s;
  s.first = get_u64(key, kRecordKeySize + 1);
  s.created_ms = static_cast<int64_t>(get_u64(value, 0));
  s.id = later_shard_id(table_id, s.created_ms);
  s.parent = std::string(value.substr(8));
  return s;
}

}  // namespace jormun::storage
