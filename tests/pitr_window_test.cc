// Point-in-time recovery's window, checkpoint choice and expiry
// (ops/pitr_window.h), apart from any table.
#include "ops/pitr_window.h"

#include <gtest/gtest.h>

namespace jormun::ops {
namespace {

storage::Backup checkpoint(const std::string& table_id, int64_t ms, uint64_t end) {
  storage::Backup b;
  b.id = std::to_string(ms);
  b.table.id = table_id;
  b.change_log = storage::ChangeLogPosition{end, ms};
  return b;
}

storage::PitrSettings on(int64_t days) { return {true, days, 0}; }

TEST(PitrWindow, TableCheckpointsAreTheTablesOnlyOldestFirst) {
  storage::Backup user;  // an on-demand backup: no change log position
  user.table.id = "t";
  const auto got = table_checkpoints(
      {checkpoint("t", 30, 3), checkpoint("u", 5, 1), user, checkpoint("t", 10, 1)}, "t");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].change_log->time_ms, 10);
  EXPECT_EQ(got[1].change_log->time_ms, 30);
}

TEST(PitrWindow, OpensAtTheOldestCheckpointAndEndsNow) {
  const std::vector<storage::Backup> cps = {checkpoint("t", 1000, 1),
                                            checkpoint("t", 5000, 9)};
  auto w = pitr_window(on(35), cps, 8000);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->earliest_ms, 1000);
  EXPECT_EQ(w->latest_ms, 8000);
  EXPECT_FALSE(pitr_window({}, cps, 8000));           // PITR off
  EXPECT_FALSE(pitr_window(on(35), {}, 8000));        // no checkpoint yet
}

TEST(PitrWindow, IsCutToTheRecoveryPeriod) {
  const int64_t now = 10 * kDayMs;
  auto w = pitr_window(on(1), {checkpoint("t", 0, 1)}, now);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->earliest_ms, now - kDayMs);
}

TEST(PitrWindow, RestoreStartsFromTheNewestCheckpointAtOrBeforeTheTime) {
  const std::vector<storage::Backup> cps = {checkpoint("t", 1000, 1),
                                            checkpoint("t", 5000, 9)};
  EXPECT_EQ(checkpoint_for(cps, 999), nullptr);
  EXPECT_EQ(checkpoint_for(cps, 1000)->change_log->end, 1u);
  EXPECT_EQ(checkpoint_for(cps, 4999)->change_log->end, 1u);
  EXPECT_EQ(checkpoint_for(cps, 5000)->change_log->end, 9u);
  EXPECT_EQ(checkpoint_for(cps, 9000)->change_log->end, 9u);
}

TEST(PitrWindow, KeepsTheCheckpointThePeriodStartNeeds) {
  const int64_t now = 10 * kDayMs;
  // The period starts at 9 days; the checkpoint at 8 days is where a
  // restore to that second starts, so only older ones go.
  const std::vector<storage::Backup> cps = {
      checkpoint("t", 7 * kDayMs, 1), checkpoint("t", 8 * kDayMs, 2),
      checkpoint("t", 9 * kDayMs + 1, 3)};
  EXPECT_EQ(expendable_checkpoints(cps, on(1), now), std::vector<std::string>{cps[0].id});
  EXPECT_EQ(change_log_cutoff_ms(cps, on(1), now), 8 * kDayMs);
  // All within the period: nothing goes, the log is kept from the oldest.
  EXPECT_TRUE(expendable_checkpoints(cps, on(35), now).empty());
  EXPECT_EQ(change_log_cutoff_ms(cps, on(35), now), 7 * kDayMs);
  EXPECT_EQ(change_log_cutoff_ms({}, on(35), now), 0);
}

}  // namespace
}  // namespace jormun::ops
