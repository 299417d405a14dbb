#include "ops/pitr_window.h"

#include <algorithm>

namespace jormun::ops {
namespace {

int64_t time_of(const storage::Backup& b) { return b.change_log->time_ms; }

}  // namespace

std::vector<storage::Backup> table_checkpoints(const std::vector<storage::Backup>& all,
                                               const std::string& table_id) {
  std::vector<storage::Backup> out;
  for (const auto& b : all)
    if (b.change_log && b.table.id == table_id) out.push_back(b);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return time_of(a) < time_of(b); });
  return out;
}

std::optional<PitrWindow> pitr_window(const storage::PitrSettings& pitr,
                                      const std::vector<storage::Backup>& checkpoints,
                                      int64_t now_ms) {
  if (!pitr.enabled || checkpoints.empty()) return std::nullopt;
  const int64_t period_start = now_ms - pitr.recovery_days * kDayMs;
  return PitrWindow{std::max(time_of(checkpoints.front()), period_start), now_ms};
}

const storage::Backup* checkpoint_for(const std::vector<storage::Backup>& checkpoints,
                                      int64_t at_ms) {
  const storage::Backup* found = nullptr;
  for (const auto& b : checkpoints)
    if (time_of(b) <= at_ms) found = &b;
  return found;
}

std::vector<std::string> expendable_checkpoints(
    const std::vector<storage::Backup>& checkpoints, const storage::PitrSettings& pitr,
    int64_t now_ms) {
  std::vector<std::string> out;
  const storage::Backup* base =
      checkpoint_for(checkpoints, now_ms - pitr.recovery_days * kDayMs);
  if (!base) return out;
  for (const auto& b : checkpoints) {
    if (&b == base) break;
    out.push_back(b.id);
  }
  return out;
}

int64_t change_log_cutoff_ms(const std::vector<storage::Backup>& checkpoints,
                             const storage::PitrSettings& pitr, int64_t now_ms) {
  const storage::Backup* base =
      checkpoint_for(checkpoints, now_ms - pitr.recovery_days * kDayMs);
  if (base) return time_of(*base);
  return checkpoints.empty() ? 0 : time_of(checkpoints.front());
}

}  // namespace jormun::ops
