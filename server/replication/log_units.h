// How a read replica cuts one table's share of a JormunReplicationLog answer
// into the units it applies, each in one WriteSet commit
// (docs/replication.md): a record outside any group is a unit of its own; a
// group (StreamRecord::group: the records one write set of the primary
// committed at once) is one unit, never applied in part.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/stream_record.h"

namespace jormun::replication {

struct LogEntry {
  uint64_t sequence = 0;
  storage::StreamRecord record;
};

struct LogUnit {
  uint64_t first = 0;  // its first record's number (its group's first)
  // In sequence order; one entry per item (a later change of an item in
  // the same unit replaces the earlier one).
  std::vector<LogEntry> entries;
  // Set when the unit is one table's part of a write set over several
  // tables, with the parts when the primary named them.
  std::optional<storage::StreamRecord::Transaction> transaction;
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

// One followed table's units of an answer, for schedule_units.
struct TableUnits {
  LogPlan plan;
  uint64_t applied = 0;  // the copy's position before them
};

// One commit: a unit of one table, or the parts of one write set over
// several tables, as (TableId, index of the unit in its table's plan).
using Step = std::vector<std::pair<std::string, size_t>>;

struct Schedule {
  std::vector<Step> steps;  // in the order to commit them
  // Each table's position once the steps are committed, and where to ask
  // from next time: its plan's next, or the first unit not scheduled.
  std::map<std::string, uint64_t> next;
  // The tables held at a part whose partner's part has not come yet:
  // TableId -> that part's first number.
  std::map<std::string, uint64_t> waiting;
};

// Orders the units of `tables` (by TableId: the tables the replica follows)
// into commits. A unit with no transaction, or whose transaction names no
// parts (a record written before they were kept), is a step alone. A part
// of a write set over several tables is one step with its partners' parts,
// each table's units before it first; a partner is not waited for when the
// replica does not follow it (not in `tables`: dropped, gone, not copied
// yet), when its position is past the part (its copy holds it, from a
// snapshot or a commit before), when the part is missing from a stretch of
// its log the answer held, or when the part is in `alone` (TableId, first:
// waited for too long). A part whose partner's log has not reached it yet
// holds its table there (`waiting`); no later unit of that table is
// scheduled. The primary numbers such sets in one order across tables
// (WriteSet::seal_change_logs), so a wait is never a cycle.
Schedule schedule_units(const std::map<std::string, TableUnits>& tables,
                        const std::set<std::pair<std::string, uint64_t>>& alone);

}  // namespace jormun::replication
