// Shard iterators of the Streams API: where a reader is in a stream, as an
// opaque text the client hands back. The text is signed (HMAC-SHA256 with a
// key kept in the data directory, see load_iterator_key), so a client cannot
// forge or edit one to reach another table's records or go back to an
// expired one, and an iterator stays valid across a restart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::ops {

struct ShardIterator {
  std::string table;      // name
  std::string table_id;   // so a table dropped and created again is not read
  uint64_t stream = 0;    // StreamSchema::number
  uint64_t shard = 1;     // StreamShard::first of its shard
  uint64_t position = 0;  // the sequence number to read from
  int64_t created_ms = 0;
};

// DynamoDB's lifetime of an iterator.
inline constexpr int64_t kIteratorLifetimeMs = 15 * 60 * 1000;

// The text of `it`, signed with `key`.
std::string encode_shard_iterator(const ShardIterator& it, std::string_view key);
// The iterator `text` encodes, or nullopt when it was not made with `key` or
// was changed since.
std::optional<ShardIterator> decode_shard_iterator(std::string_view text,
                                                   std::string_view key);

// The signing key: 32 random bytes in <data_dir>/stream-iterator-key, drawn
// and written (mode 0600: whoever reads it can forge iterators) when the
// file is missing. Call load_iterator_key once at start-up, before any
// request; throws std::runtime_error naming the file when it cannot be read
// or written, or does not hold a key.
void load_iterator_key(const std::string& data_dir);
std::string_view iterator_key();

// The key file's name in the data directory. DO NOT CHANGE: it is on disk.
inline constexpr std::string_view kIteratorKeyFile = "stream-iterator-key";

}  // namespace jormun::ops
