// Tests of the SQLite engine plugin's batches that span partition files:
// the intent log that makes them whole after a failed commit, how
// concurrent batches share its commits, and how it is forgotten (the kills
// are in sqlite_crash_test.cc).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <jormun/engine.hpp>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_test_util.h"

namespace {

using namespace jormun::sqlite_test;

TEST(SqliteEngine, MultiPartitionBatchSurvivesReopen) {
  TempDir dir;
  {
    auto db = open(dir.path(), {{"partitions", "8"}});
    Keyspace ks = *db->keyspace("t", true);
    Keyspace index = *db->keyspace("index", true);
    WriteBatch batch;
    for (uint64_t p = 0; p < 8; ++p) {
      batch.put(ks, key(partition_start(p, 3), "item"), "value " + std::to_string(p));
      batch.put(index, key(partition_start(7 - p, 3), "entry"), std::to_string(p));
    }
    db->write(batch, true);
  }
  auto db = open(dir.path());
  Keyspace ks = *db->keyspace("t", false);
  Keyspace index = *db->keyspace("index", false);
  EXPECT_EQ(scan(*db, ks).size(), 8u);
  EXPECT_EQ(scan(*db, index).size(), 8u);
  std::string value;
  ASSERT_TRUE(db->get(ks, key(partition_start(5, 3), "item"), &value));
  EXPECT_EQ(value, "value 5");
  EXPECT_EQ(stat(*db, "intents_replayed_at_open"), "0");
}

// One integer a query over a file of the instance answers, read through a
// connection of the test's own.
int64_t query_file(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK);
  int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

// Applied batches spanning partitions stay in the intent log until 128 of
// them are synced and forgotten together; at open the marks show the rest
// applied, so none is replayed, but they stay logged until the next sync of
// every file: an earlier process may have left their commits unsynced.
TEST(SqliteEngine, SpanningBatchesAreForgottenInGroups) {
  TempDir dir;
  constexpr int kBatches = 300;
  {
    auto db = open(dir.path(), {{"partitions", "4"}});
    Keyspace ks = *db->keyspace("t", true);
    for (int i = 0; i < kBatches; ++i) {
      WriteBatch batch;
      for (uint64_t p = 0; p < 4; ++p)
        batch.put(ks, key(partition_start(p, 2), "b" + std::to_string(1000 + i)),
                  std::to_string(i));
      db->write(batch, i % 2 == 0);
    }
    // 300 = 2 x 128 forgotten + 44 still logged.
    EXPECT_EQ(query_file(dir.path() + "/intent.sqlite",
                         "SELECT count(DISTINCT seq) FROM intent_ops"),
              kBatches % 128);
  }
  auto db = open(dir.path());
  Keyspace ks = *db->keyspace("t", false);
  EXPECT_EQ(scan(*db, ks).size(), 4u * kBatches);
  EXPECT_EQ(stat(*db, "intents_replayed_at_open"), "0");
  const std::string count_batches = "SELECT count(DISTINCT seq) FROM intent_ops";
  EXPECT_EQ(query_file(dir.path() + "/intent.sqlite", count_batches.c_str()),
            kBatches % 128);
  // With those 44, 84 more make the next 128 to sync and forget.
  for (int i = 0; i < 128 - kBatches % 128; ++i) {
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p)
      batch.put(ks, key(partition_start(p, 2), "c" + std::to_string(i)), "v");
    db->write(batch, false);
  }
  EXPECT_EQ(query_file(dir.path() + "/intent.sqlite", count_batches.c_str()), 0);
}

// Sequence numbers go on above every batch once logged, though the log
// forgot them all and open reads no partition's mark; a log from before it
// kept its highest sequence reads them once.
TEST(SqliteEngine, SequencesGoOnAboveEveryForgottenBatchAfterReopen) {
  TempDir dir;
  auto spanning_write = [](Instance& db, int i) {
    Keyspace ks = *db.keyspace("t", true);
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p)
      batch.put(ks, key(partition_start(p, 2), "b" + std::to_string(i)), "v");
    db.write(batch, false);
  };
  const std::string intents = dir.path() + "/intent.sqlite";
  {
    auto db = open(dir.path(), {{"partitions", "4"}});
    for (int i = 0; i < 128; ++i) spanning_write(*db, i);
  }
  ASSERT_EQ(query_file(intents, "SELECT count(*) FROM intent_ops"), 0);
  spanning_write(*open(dir.path()), 128);
  EXPECT_EQ(query_file(intents, "SELECT max(seq) FROM intent_ops"), 129);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(intents.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "DELETE FROM intent_ops; DELETE FROM intent_last", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  spanning_write(*open(dir.path()), 129);
  EXPECT_EQ(query_file(intents, "SELECT max(seq) FROM intent_ops"), 130);
}

TEST(SqliteEngine, NewPartitionFilesUse8KPages) {
  TempDir dir;
  open(dir.path(), {{"partitions", "2"}});
  EXPECT_EQ(query_file(dir.path() + "/p0001.sqlite", "PRAGMA page_size"), 8192);
}

// Holds the write lock of one partition file through a second connection
// (same process, same SQLite library, so SQLite arbitrates between them): the
// engine's own commit there waits its busy timeout and fails with BUSY.
class PartitionWriteLock {
 public:
  PartitionWriteLock(const std::string& dir, uint32_t partition) {
    char name[32];
    std::snprintf(name, sizeof name, "/p%04u.sqlite", partition);
    EXPECT_EQ(sqlite3_open((dir + name).c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~PartitionWriteLock() { release(); }
  void release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A batch over all four partitions of a 4-partition instance fails half
// way (partition 2 is locked from outside) while `waiter` is queued on the
// partition locks it holds; returns the waiter's status. Afterwards the
// instance in `dir` is closed and partition 2 unlocked.
template <typename Waiter>
jormun_status fail_spanning_batch_under(const std::string& dir, Waiter waiter) {
  // One second of busy timeout is the window in which the waiter queues.
  auto db = open(dir, {{"partitions", "4"}, {"busy_timeout_ms", "1000"}});
  Keyspace ks = *db->keyspace("t", true);
  PartitionWriteLock blocker(dir, 2);
  std::atomic<bool> failing_done{false};
  auto failing = std::async(std::launch::async, [&] {
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p)
      batch.put(ks, key(partition_start(p, 2), "k"), "torn?");
    jormun_status s = JORMUN_OK;
    try {
      db->write(batch, false);
    } catch (const EngineError& e) {
      s = e.status();
    }
    failing_done = true;
    return s;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(failing_done.load()) << "the failing batch ended before the waiter queued";
  auto waiting = std::async(std::launch::async, [&] {
    try {
      waiter(*db, ks);
    } catch (const EngineError& e) {
      return e.status();
    }
    return JORMUN_OK;
  });
  EXPECT_EQ(failing.get(), JORMUN_BUSY);
  jormun_status waiter_status = waiting.get();
  blocker.release();
  return waiter_status;
}

// After reopen the failed batch is whole (completed from the intent log),
// and it was a torn batch that the replay repaired.
void expect_failed_batch_whole(const std::string& dir) {
  auto db = open(dir);
  Keyspace ks = *db->keyspace("t", false);
  for (uint64_t p = 0; p < 4; ++p) {
    std::string value;
    EXPECT_TRUE(db->get(ks, key(partition_start(p, 2), "k"), &value))
        << "partition " << p;
    EXPECT_EQ(value, "torn?") << "partition " << p;
  }
  EXPECT_EQ(stat(*db, "partial_batches_repaired_at_open"), "1");
}

// A spanning writer queued behind the failed batch must not go on: it would
// stamp a later intent mark on partition 3, which the failed batch never
// reached, and replay would then skip the batch there for ever.
TEST(SqliteEngine, SpanningWriterQueuedBehindAFailedBatchIsRefused) {
  TempDir dir;
  jormun_status s = fail_spanning_batch_under(dir.path(), [](Instance& db, Keyspace ks) {
    WriteBatch batch;
    batch.put(ks, key(partition_start(0, 2), "other"), "v");
    batch.put(ks, key(partition_start(3, 2), "other"), "v");
    db.write(batch, false);
  });
  EXPECT_EQ(s, JORMUN_IO_ERROR);
  expect_failed_batch_whole(dir.path());
}

// A single-partition writer queued behind the failed batch must not go on:
// its acknowledged write would be overwritten by the replay.
TEST(SqliteEngine, SinglePartitionWriterQueuedBehindAFailedBatchIsRefused) {
  TempDir dir;
  jormun_status s = fail_spanning_batch_under(dir.path(), [](Instance& db, Keyspace ks) {
    WriteBatch batch;
    batch.put(ks, key(partition_start(3, 2), "k"), "acknowledged");
    db.write(batch, false);
  });
  EXPECT_EQ(s, JORMUN_IO_ERROR);
  expect_failed_batch_whole(dir.path());
}

// A checkpoint queued behind the failed batch would copy the half-applied
// files without the intent log that completes them.
TEST(SqliteEngine, CheckpointQueuedBehindAFailedBatchIsRefused) {
  TempDir dir, elsewhere;
  std::string copy = elsewhere.path() + "/copy";
  jormun_status s = fail_spanning_batch_under(
      dir.path(), [&](Instance& db, Keyspace) { db.checkpoint(copy); });
  EXPECT_EQ(s, JORMUN_IO_ERROR);
  EXPECT_FALSE(fs::exists(copy));
  expect_failed_batch_whole(dir.path());
}

// Once its cause is gone (a full disk freed, here a lock released), the next
// write completes the failed batch from the intent log and goes on: writes
// resume without a reopen. While the cause lasts, they stay refused.
TEST(SqliteEngine, NextWriteCompletesAFailedSpanningBatch) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}, {"busy_timeout_ms", "100"}});
  Keyspace ks = *db->keyspace("t", true);
  WriteBatch other;
  other.put(ks, key(partition_start(0, 2), "other"), "v");
  {
    PartitionWriteLock blocker(dir.path(), 2);
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p)
      batch.put(ks, key(partition_start(p, 2), "k"), "torn?");
    EXPECT_THROW(db->write(batch, false), EngineError);
    EXPECT_THROW(db->write(other, false), EngineError);
  }
  db->write(other, false);
  for (uint64_t p = 0; p < 4; ++p) {
    std::string value;
    EXPECT_TRUE(db->get(ks, key(partition_start(p, 2), "k"), &value))
        << "partition " << p;
    EXPECT_EQ(value, "torn?") << "partition " << p;
  }
  std::string value;
  EXPECT_TRUE(db->get(ks, key(partition_start(0, 2), "other"), &value));
}

// Spanning batches that arrive while one is being written share the next
// intent log commit (one fsync) instead of taking one each: the first batch
// is held inside its apply by an outside lock on partition 2 while eight
// more queue behind it.
TEST(SqliteEngine, ConcurrentSpanningBatchesShareAnIntentCommit) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}, {"busy_timeout_ms", "10000"}});
  Keyspace ks = *db->keyspace("t", true);
  auto write_spanning = [&](const std::string& name) {
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p) batch.put(ks, key(partition_start(p, 2), name), name);
    db->write(batch, false);
  };
  PartitionWriteLock blocker(dir.path(), 2);
  auto first = std::async(std::launch::async, [&] { write_spanning("first"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  constexpr int kQueued = 8;
  std::vector<std::future<void>> queued;
  for (int i = 0; i < kQueued; ++i)
    queued.push_back(std::async(std::launch::async,
                                [&, i] { write_spanning("queued" + std::to_string(i)); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  blocker.release();
  first.get();
  for (auto& f : queued) f.get();

  EXPECT_EQ(stat(*db, "spanning_batches_total"), std::to_string(1 + kQueued));
  // One commit for the first batch and one for those queued behind it (more
  // only if a thread was slow to queue).
  const std::string counted = stat(*db, "spanning_batch_groups_total");
  ASSERT_NE(counted, "(missing)");
  int groups = std::stoi(counted);
  EXPECT_GE(groups, 2);
  EXPECT_LT(groups, 1 + kQueued) << "every batch took an intent commit of its own";
  EXPECT_EQ(scan(*db, ks).size(), 4u * (1 + kQueued));
}

}  // namespace
