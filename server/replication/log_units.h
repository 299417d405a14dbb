// How a read replica cuts one table's share of a JormunReplicationLog answer
// into the units it applies, each in one WriteSet commit
// (docs/replication.md): a record outside any group is a unit of its own; a
// group (StreamRecord::group: the records one write set of the primary
// committed at once) is one unit, never applied in part.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/stream_record.h"

namespace jormun::replication {

struct LogEntry {
  uint64_t sequence = 0;
  storage::StreamRecord record;
};

struct LogUnit {
  // In sequence order; one entry per item (a later change of an item in
  // the same unit replaces the earlier one).
  std::vector<LogEntry> entries;
  // The replica's position once this unit is applied: every change numbered
  // below it is applied.
  uint64_t next = 0;
};

struct LogPlan {
  std::vector<LogUnit> units;
  // Where to ask from next time: the answer's Next, or the first record of a
  // group the answer did not hold whole (asked again, whole, next time).
  uint64_t next = 0;
};

// Cuts `entries` (one table's records of an answer asked from `from`, whose
// Next was `answer_next`) into units in the order of their first record.
// Units of different write sets touch different items (the primary held
// their locks), so that order is as good as the primary's commit order; a
// unit's `next` is the first record of the unit after it, so a position
// never passes a change not applied yet. Records of a group that began
// below `from` were applied with their group before the position reached
// `from` (positions stop at units' first records), and are skipped.
LogPlan plan_units(std::vector<LogEntry> entries, uint64_t from, uint64_t answer_next);

}  // namespace jormun::replication
