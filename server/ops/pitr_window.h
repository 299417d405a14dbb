// Point-in-time recovery's arithmetic over a table's checkpoints: the
// window it can restore, the checkpoint a restore starts from, and the
// checkpoints and change log records the window no longer needs. Pure
// functions of their arguments (no clock, no I/O), so they are unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/backup_store.h"
#include "storage/table_schema.h"

namespace jormun::ops {

inline constexpr int64_t kDayMs = 24 * 3600 * 1000;

struct PitrWindow {
  int64_t earliest_ms = 0;  // EarliestRestorableDateTime
  int64_t latest_ms = 0;    // LatestRestorableDateTime
};

// The checkpoints of table `table_id` (those with a change log position),
// oldest first.
std::vector<storage::Backup> table_checkpoints(const std::vector<storage::Backup>& all,
                                               const std::string& table_id);

// What a table with `pitr` and `checkpoints` (oldest first) can be restored
// to at `now_ms`: from its oldest checkpoint, or the start of the recovery
// period if later, to now. nullopt when PITR is off or no checkpoint exists.
std::optional<PitrWindow> pitr_window(const storage::PitrSettings& pitr,
                                      const std::vector<storage::Backup>& checkpoints,
                                      int64_t now_ms);

// The newest checkpoint taken at or before `at_ms`, or null.
const storage::Backup* checkpoint_for(const std::vector<storage::Backup>& checkpoints,
                                      int64_t at_ms);

// The checkpoints the window at `now_ms` no longer needs: all older than the
// newest one taken at or before the start of the recovery period (that one
// is where a restore to the period's first second starts).
std::vector<std::string> expendable_checkpoints(
    const std::vector<storage::Backup>& checkpoints, const storage::PitrSettings& pitr,
    int64_t now_ms);

// The change log records staged before this time are needed by no restore
// once the expendable checkpoints are gone: the time of the oldest one kept.
// 0 (trim nothing) without checkpoints.
int64_t change_log_cutoff_ms(const std::vector<storage::Backup>& checkpoints,
                             const storage::PitrSettings& pitr, int64_t now_ms);

}  // namespace jormun::ops
