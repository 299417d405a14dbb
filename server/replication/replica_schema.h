// The schema of a read replica's copy of a primary's table: the primary's
// name, id, keys, indexes and settings (streams, TTL, tags, recovery,
// capacity...), on the engine the replica's own config picks for the name.
#pragma once

#include <optional>

#include "storage/table_schema.h"

namespace jormun::replication {

// What Catalog::create(schema, keep_id) is given for a new copy of
// `primary` (a schema the primary sent): its engine fields cleared (create
// fills them in), indexes being deleted left out, and indexes the primary is
// still backfilling made active: the copy is filled through the write path,
// which writes every entry of an active index.
storage::TableSchema replica_schema(const storage::TableSchema& primary);

// The schema `local` (an existing copy) takes to match `primary` again, or
// nullopt when it matches already: the primary's settings, its engine
// fields kept; an index new on the primary joins as being created (the
// catalog backfills it from the copy's own items), one the primary no
// longer has is being deleted.
std::optional<storage::TableSchema> updated_replica_schema(
    const storage::TableSchema& local, const storage::TableSchema& primary);

}  // namespace jormun::replication
