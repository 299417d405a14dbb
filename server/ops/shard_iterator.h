// Shard iterators of the Streams API: where a reader is in a stream, as an
// opaque text the client hands back. The text is signed (HMAC-SHA256 with a
// key drawn at process start), so a client cannot forge or edit one to
// reach another table's records or go back to an expired one; iterators
// therefore do not survive a restart (the reader gets a new one, as after
// expiry).
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

// This process's signing key (random, drawn once).
std::string_view iterator_key();

}  // namespace jormun::ops
