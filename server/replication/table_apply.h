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
#include "storage/transaction_log.h"

namespace jormun::replication {

// One table's unit, for apply_units.
struct TableUnit {
  storage::Table* table;
  const LogUnit* unit;
};

// Applies `units` (each record's new image, or the removal of its item) and
// each table's position in one commit: readers see all of it or none. A
// table's units are next to each other, in log order; its position is its
// last unit's `next`. Over several tables the commit
// goes through `log` (WriteSet's atomic commit). Throws on an engine
// failure.
void apply_units(storage::TransactionLog& log, const std::vector<TableUnit>& units);

// Stores `items` of a snapshot (whole items, as the primary stores them),
// in one commit. Throws on an engine failure.
void store_items(storage::Table& table, const std::vector<model::Item>& items);

// Records the position alone (a snapshot read whole: it holds every change
// numbered below `next`).
void set_position(storage::Table& table, uint64_t next);

}  // namespace jormun::replication
