// A table's change log: every change to its items, in commit order per
// item, with the item's new image (or its removal), kept while
// point-in-time recovery is on. Point-in-time restore replays it over a
// checkpoint; online engine migration and read replicas are meant to follow
// it the same way.
//
// It is a stream the Streams API never lists: number kChangeLogStream of the
// table's "streams" keyspace, written by WriteSet::stage in the same engine
// batch as the item (so a crash never separates a change from its record),
// numbered by the table's one sequence counter, trimmed like a stream
// (Table::trim_stream) and independent of any StreamSpecification.
#pragma once

#include <cstdint>
#include <stop_token>

#include "storage/table_schema.h"

namespace jormun::storage {

class Table;

// The stream number of the change log. User streams are numbered from 1, so
// 0 is free. DO NOT CHANGE: it is on disk.
inline constexpr uint64_t kChangeLogStream = 0;

// The change log as a stream, for the stream machinery that takes one
// (Table::trim_stream): it keeps the new image, and has one shard forever.
const StreamSchema& change_log_stream();

// Whether writes to a table of `schema` add change log records.
// (While a migration copies it too: storage/catalog_migrate.h.)
inline bool change_log_enabled(const TableSchema& schema) {
  return schema.pitr.enabled || schema.migrating;
}

// Where a checkpoint stands in the change log: it holds exactly the records
// numbered below `end` (Table::checkpoint took it with no write in flight),
// and every write staged after `time_ms` is not in it.
struct ChangeLogPosition {
  uint64_t end = 0;
  int64_t time_ms = 0;
};

// Applies to `target` (a table no one else writes yet) the changes `source`'s
// change log holds numbered `from` up to `to` (exclusive; at most
// Table::stream_visible_end()) that were staged at or before `up_to_ms`, in
// order, through the write path, so `target`'s indexes follow. Returns how
// many it applied. Throws on an engine failure, and std::runtime_error when
// `stop` is requested.
uint64_t replay_change_log(Table& source, uint64_t from, uint64_t to, int64_t up_to_ms,
                           Table& target, std::stop_token stop);

}  // namespace jormun::storage
