// A read replica's writes to its copy of a primary's table, all through
// storage's write path (storage/write_set.h), so the replica's own index
// entries, stream records and item counts follow; the replica's position
// (Table::replica_position) is committed in the same batch as the changes
// it covers, so a crash resumes exactly where the data stands.
#pragma once

#include <cstdint>
#include <vector>

#include "model/attribute_value.h"
#include "replication/log_units.h"
#include "storage/table.h"

namespace jormun::replication {

// Applies `unit` (each record's new image, or the removal of its item) and
// its position `unit.next` in one commit: readers see all of it or none.
// Throws on an engine failure.
void apply_unit(storage::Table& table, const LogUnit& unit);

// Stores `items` of a snapshot (whole items, as the primary stores them),
// in one commit. Throws on an engine failure.
void store_items(storage::Table& table, const std::vector<model::Item>& items);

// Records the position alone (a snapshot read whole: it holds every change
// numbered below `next`).
void set_position(storage::Table& table, uint64_t next);

}  // namespace jormun::replication
