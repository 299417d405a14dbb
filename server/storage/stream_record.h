// A change record of a table's stream, as stored in the table's "streams"
// keyspace (kStreamsKeyspace), and the sequence numbers that order them.
//
// Key: the stream's number and the record's sequence number, 8 bytes big
// endian each, so a stream's records are one key range in write order.
// Value: format version, event, flags, time, then the keys and the images
// the stream's view type keeps (model/item_codec.h each, length-prefixed),
// then, when the flags say so, the group (first and size, 8 bytes each),
// the transaction (id and tables, 8 bytes each) and the transaction's parts
// (their count, then each part's table id, length-prefixed, and first
// number, 8 bytes each; a flag of its own, so records written before it
// decode as they did).
// DO NOT CHANGE the layout of an existing version: it is on disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/attribute_value.h"
#include "storage/table_schema.h"

namespace jormun::storage {

// The keyspace of stream records. DO NOT CHANGE: it is on disk.
inline constexpr std::string_view kStreamsKeyspace = "streams";

struct StreamRecord {
  enum class Event : uint8_t { kInsert = 1, kModify = 2, kRemove = 3 };
  Event event = Event::kInsert;
  // Written by the service itself (a TTL deletion), not a client.
  bool by_service = false;
  int64_t time_ms = 0;  // when it was staged, ms since the epoch
  model::Item keys;
  std::optional<model::Item> old_image;
  std::optional<model::Item> new_image;
  // Set on the records of a change log batch that holds more than one:
  // the records one write set committed to the table at once (a
  // transaction, a batch), which a replica applies together or not at all.
  struct Group {
    uint64_t first = 0;  // the lowest sequence number of the group
    uint64_t size = 0;   // how many records it has
    bool operator==(const Group&) const = default;
  };
  std::optional<Group> group;
  // Set on the records of a write set over several tables (a transaction):
  // an id of the set and how many tables it wrote, so a replica applies its
  // parts in every table together. Such sets number their records in one
  // order across tables (WriteSet::seal_change_logs), so that two of them
  // are in the same order in every table's log. Only in the change log
  // (replication's), never in a stream the Streams API reads.
  struct Transaction {
    // One table's part: the table's id and its group's first number, which
    // tells a replica whether its copy of that table already holds the part
    // (its position is past it) or should wait for it.
    struct Part {
      std::string table_id;
      uint64_t first = 0;
      bool operator==(const Part&) const = default;
    };
    uint64_t id = 0;
    uint64_t tables = 0;
    // Every table's part, this one's included, on the record numbered
    // first in its group only (the others would repeat it). Empty on the
    // other records, and on every record written before parts were kept.
    std::vector<Part> parts;
    bool operator==(const Transaction&) const = default;
  };
  std::optional<Transaction> transaction;
};

// The record of a write of `schema`'s table from `old` to `item` (null:
// absent), with the images `view` keeps; nullopt when the write changes
// nothing (DynamoDB writes no record then).
std::optional<StreamRecord> make_stream_record(const TableSchema& schema,
                                               StreamSchema::View view,
                                               const model::Item* old,
                                               const model::Item* item, bool by_service,
                                               int64_t time_ms);

std::string encode_stream_record(const StreamRecord& record);
// Throws std::runtime_error on bytes encode_stream_record did not write.
StreamRecord decode_stream_record(std::string_view bytes);

// The key of record `sequence` of stream `stream`, and its parts.
std::string stream_record_key(uint64_t stream, uint64_t sequence);
uint64_t stream_of_key(std::string_view key);
uint64_t sequence_of_key(std::string_view key);

// A sequence number as the API shows it: 21 decimal digits, zero-padded, so
// that text order is number order. nullopt for text that is not one.
std::string format_sequence(uint64_t sequence);
std::optional<uint64_t> parse_sequence(std::string_view text);

// DynamoDB's SizeBytes of a record: its keys and images in DynamoDB's
// item size measure.
uint64_t stream_record_size(const StreamRecord& record);

}  // namespace jormun::storage
