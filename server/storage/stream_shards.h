// The shards of a table's streams and their trim horizons: what the table
// keeps in its "streams" keyspace besides the records (stream_record.h).
//
// A stream's records are numbered by the table's sequence counter; a shard
// is the run of numbers from its `first` up to the next shard's `first`.
// The first shard of a stream is implicit (no key: streams written before
// shards rolled over have none) and begins with the stream; each later one
// has a key written, synced, before any record of it, when the shard before
// is kShardLifetimeMs old. The trim horizon is the last number trimmed: no
// record at or below it is left.
//
// Keys sort between record 0 and record 1 of their stream (sequence number
// 0 is never handed out), so a read of records from number 1 never meets
// them:
//   stream | 0 | 'h'            -> last number trimmed (8 bytes)
//   stream | 0 | 's' | first    -> created ms (8 bytes), then the parent's id
// A read replica's table (docs/replication.md) also keeps there, under a
// stream number no stream has (all ones), how far it has applied its
// primary's change log:
//   ~0 | 0 | 'r'               -> the next number to apply (8 bytes)
// DO NOT CHANGE: it is on disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::storage {

// DynamoDB rolls a shard over about every four hours.
inline constexpr int64_t kShardLifetimeMs = 4 * 3600 * 1000;

struct StreamShard {
  uint64_t first = 1;      // the first sequence number it can hold
  int64_t created_ms = 0;  // when it opened (the server clock)
  std::string id;          // ShardId
  std::string parent;      // ParentShardId; empty for a stream's first shard
};

// The ShardId of a stream's first shard ("shardId-<stream number, 20
// digits>-<the table id's first 8 hex digits>"), and of a later one (its
// creation time in ms in place of the number: never a small stream number).
std::string first_shard_id(std::string_view table_id, uint64_t stream);
std::string later_shard_id(std::string_view table_id, int64_t created_ms);

// A stream label ("2026-10-08T23:07:31.275", UTC) in ms since the epoch; 0
// for text that is not one.
int64_t label_ms(std::string_view label);

// The range of keys of `stream`'s shards and horizon.
std::string stream_meta_begin(uint64_t stream);  // inclusive
std::string stream_meta_end(uint64_t stream);    // exclusive
// Whether a key of the keyspace is one of these (not a record).
bool is_stream_meta_key(std::string_view key);

std::string horizon_key(uint64_t stream);
std::string encode_horizon(uint64_t last_trimmed);
// A shard's key and value.
std::string shard_key(uint64_t stream, uint64_t first);
std::string encode_shard(const StreamShard& shard);
// The shard a (key, value) of the meta range holds, or nullopt for the
// horizon; `table_id` makes its id. Throws std::runtime_error on bytes not
// written by the encoders.
std::optional<StreamShard> decode_shard(std::string_view key, std::string_view value,
                                        std::string_view table_id);
uint64_t decode_horizon(std::string_view value);

std::string replica_position_key();
std::string encode_replica_position(uint64_t next);
uint64_t decode_replica_position(std::string_view value);

}  // namespace jormun::storage
