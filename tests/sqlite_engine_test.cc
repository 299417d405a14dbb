// Tests of the SQLite engine plugin through the host wrapper: what only this
// engine has (partition files, the intent log, the `partitions` option) plus
// the contract points the partitioning could break (order, bounds, reverse).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <jormun/engine.hpp>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using jormun::host::Bound;
using jormun::host::EngineError;
using jormun::host::Instance;
using jormun::host::Keyspace;
using jormun::host::Library;
using jormun::host::RangeSpec;
using jormun::host::WriteBatch;
using Options = std::vector<std::pair<std::string, std::string>>;

std::shared_ptr<Library> plugin() {
  static std::shared_ptr<Library> lib =
      Library::load(std::string(JORMUN_TEST_PLUGIN_DIR) + "/jormun_sqlite.so");
  return lib;
}

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "jormun_sqlite_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A key whose 8-byte big-endian prefix is `prefix`, followed by `rest`.
std::string key(uint64_t prefix, const std::string& rest = "") {
  std::string k(8, '\0');
  for (int i = 0; i < 8; ++i) k[i] = static_cast<char>(prefix >> (56 - 8 * i));
  return k + rest;
}

// The top `bits` bits of the prefix select the partition.
uint64_t partition_start(uint64_t index, int bits) { return index << (64 - bits); }

std::unique_ptr<Instance> open(const std::string& dir, const Options& options = {}) {
  return Instance::open(plugin(), dir, options);
}

std::vector<std::string> scan(Instance& db, Keyspace ks, const RangeSpec& range = {}) {
  std::vector<std::string> keys;
  auto it = db.iterate(ks, range);
  std::string_view k, v;
  while (it.next(&k, &v)) keys.emplace_back(k);
  return keys;
}

std::string stat(Instance& db, const std::string& name) {
  for (const auto& [n, v] : db.stats())
    if (n == name) return v;
  return "(missing)";
}

jormun_status open_status(const std::string& dir, const Options& options,
                          std::string* message) {
  try {
    open(dir, options);
  } catch (const EngineError& e) {
    *message = e.what();
    return e.status();
  }
  return JORMUN_OK;
}

// Keys in all four partitions of a 4-partition instance, at and around the
// partition boundaries, plus keys shorter than the 8-byte prefix.
std::set<std::string> boundary_keys() {
  std::set<std::string> keys = {std::string(1, '\0'), "\x3f", "\x40", "\xff",
                                std::string(3, '\xff')};
  for (uint64_t p = 0; p < 4; ++p) {
    uint64_t start = partition_start(p, 2);
    keys.insert(key(start));
    keys.insert(key(start, "a"));
    keys.insert(key(start + 7, "zz"));
    if (p > 0) keys.insert(key(start - 1, "\xff"));
  }
  keys.insert(key(UINT64_MAX, "\xff\xff"));
  return keys;
}

TEST(SqliteEngine, IteratesInByteOrderAcrossPartitions) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}});
  Keyspace ks = *db->keyspace("t", true);
  std::set<std::string> expected = boundary_keys();
  WriteBatch batch;
  for (auto it = expected.rbegin(); it != expected.rend(); ++it) batch.put(ks, *it, "v");
  db->write(batch, false);

  std::vector<std::string> forward(expected.begin(), expected.end());
  EXPECT_EQ(scan(*db, ks), forward);
  RangeSpec reverse;
  reverse.reverse = true;
  std::vector<std::string> backward(expected.rbegin(), expected.rend());
  EXPECT_EQ(scan(*db, ks, reverse), backward);
}

TEST(SqliteEngine, BoundsAndReverseAcrossPartitionBoundaries) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}});
  Keyspace ks = *db->keyspace("t", true);
  std::set<std::string> stored = boundary_keys();
  WriteBatch batch;
  for (const auto& k : stored) batch.put(ks, k, "v");
  db->write(batch, false);

  // Bounds on stored keys, between them and outside them, of every kind.
  std::set<std::string> bounds = stored;
  bounds.insert("");  // not a storable key, but a valid bound
  for (uint64_t p = 0; p < 4; ++p) bounds.insert(key(partition_start(p, 2) + 3));
  bounds.insert("\x80");
  std::vector<std::optional<Bound>> sides = {std::nullopt};
  for (const auto& b : bounds) {
    sides.push_back(Bound{b, true});
    sides.push_back(Bound{b, false});
  }
  for (const auto& lower : sides) {
    for (const auto& upper : sides) {
      std::vector<std::string> expected;
      for (const auto& k : stored) {
        if (lower && (lower->inclusive ? k < lower->key : k <= lower->key)) continue;
        if (upper && (upper->inclusive ? k > upper->key : k >= upper->key)) continue;
        expected.push_back(k);
      }
      RangeSpec range;
      range.lower = lower;
      range.upper = upper;
      ASSERT_EQ(scan(*db, ks, range), expected);
      range.reverse = true;
      std::reverse(expected.begin(), expected.end());
      ASSERT_EQ(scan(*db, ks, range), expected);
    }
  }
}

TEST(SqliteEngine, KeyspacesDoNotSeeEachOther) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "2"}});
  Keyspace a = *db->keyspace("a", true);
  Keyspace b = *db->keyspace("b", true);
  WriteBatch batch;
  batch.put(a, key(1, "x"), "in a");
  batch.put(b, key(1, "y"), "in b");
  db->write(batch, false);
  EXPECT_EQ(scan(*db, a), std::vector<std::string>{key(1, "x")});
  EXPECT_EQ(scan(*db, b), std::vector<std::string>{key(1, "y")});
  std::string value;
  EXPECT_FALSE(db->get(a, key(1, "y"), &value));
}

TEST(SqliteEngine, RejectsAKeyspaceHandleOfAnotherInstance) {
  TempDir first_dir, second_dir;
  auto first = open(first_dir.path());
  auto second = open(second_dir.path());
  Keyspace foreign = *second->keyspace("t", true);
  WriteBatch batch;
  batch.put(foreign, key(1), "v");
  try {
    first->write(batch, false);
    FAIL() << "a foreign keyspace handle was accepted";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.status(), JORMUN_INVALID_ARGUMENT);
  }
}

// An iterator that has started in one partition and has more to read in
// others keeps going while batches land everywhere.
TEST(SqliteEngine, IteratorSurvivesWritesAcrossPartitions) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}});
  Keyspace ks = *db->keyspace("t", true);
  WriteBatch batch;
  for (uint64_t p = 0; p < 4; ++p) batch.put(ks, key(partition_start(p, 2)), "v");
  db->write(batch, false);
  auto it = db->iterate(ks, {});
  std::string_view k, v;
  ASSERT_TRUE(it.next(&k, &v));
  EXPECT_EQ(k, key(0));
  WriteBatch more;
  for (uint64_t p = 0; p < 4; ++p) more.put(ks, key(partition_start(p, 2) + 1), "w");
  db->write(more, true);
  size_t seen = 1;
  std::string last(k);
  while (it.next(&k, &v)) {
    EXPECT_LT(last, k);
    last = std::string(k);
    ++seen;
  }
  // Partition 0 is read as it was when the iterator entered it; the later
  // partitions as they are when it gets there.
  EXPECT_EQ(seen, 7u);
  EXPECT_FALSE(it.next(&k, &v));
}

TEST(SqliteEngine, EmptyValueRoundTripsAndEmptyKeyIsRefused) {
  TempDir dir;
  auto db = open(dir.path());
  Keyspace ks = *db->keyspace("t", true);
  WriteBatch batch;
  batch.put(ks, key(1), "");
  db->write(batch, true);
  std::string value = "not empty";
  ASSERT_TRUE(db->get(ks, key(1), &value));
  EXPECT_EQ(value, "");
  WriteBatch empty_key;
  empty_key.put(ks, "", "v");
  EXPECT_THROW(db->write(empty_key, false), EngineError);
}

TEST(SqliteEngine, LaterOperationInABatchWinsInEveryPartition) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}});
  Keyspace ks = *db->keyspace("t", true);
  WriteBatch batch;
  for (uint64_t p = 0; p < 4; ++p) {
    std::string k = key(partition_start(p, 2), "k");
    batch.put(ks, k, "first");
    batch.del(ks, k);
    batch.put(ks, k, "last");
    batch.put(ks, k + "gone", "x");
    batch.del(ks, k + "gone");
  }
  db->write(batch, false);
  for (uint64_t p = 0; p < 4; ++p) {
    std::string value;
    ASSERT_TRUE(db->get(ks, key(partition_start(p, 2), "k"), &value));
    EXPECT_EQ(value, "last");
    EXPECT_FALSE(db->get(ks, key(partition_start(p, 2), "kgone"), &value));
  }
}

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
// applied, so none is replayed.
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
  EXPECT_EQ(query_file(dir.path() + "/intent.sqlite",
                       "SELECT count(*) FROM intent_ops"),
            0);
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

// The child writes multi-partition batches until it is killed. Batch i puts
// "latest" = i into every partition plus one key of its own per partition,
// and reports each finished batch on `ack`.
[[noreturn]] void write_batches_until_killed(const std::string& dir, int ack) {
  try {
    auto db = open(dir);
    Keyspace ks = *db->keyspace("t", true);
    const std::string filler(2000, 'f');
    for (uint32_t i = 0;; ++i) {
      WriteBatch batch;
      for (uint64_t p = 0; p < 8; ++p) {
        uint64_t start = partition_start(p, 3);
        batch.put(ks, key(start, "latest"), std::to_string(i));
        batch.put(ks, key(start, "batch" + std::to_string(100000 + i)), filler);
      }
      db->write(batch, false);
      if (::write(ack, &i, sizeof i) != sizeof i) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

TEST(SqliteEngine, KilledWriterLeavesEveryBatchWholeOrAbsent) {
  int repaired = 0;  // rounds whose kill tore a batch that open then repaired
  // Eight rounds at least, and on until a kill has torn a batch: on a loaded
  // machine every kill of eight can fall between batches.
  for (int round = 0; round < 8 || (repaired == 0 && round < 64); ++round) {
    const int step = round % 8;
    TempDir dir;
    open(dir.path(), {{"partitions", "8"}});  // create the instance
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      write_batches_until_killed(dir.path(), pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    // Kill after a different number of finished batches and a different
    // pause each round: the child keeps writing meanwhile, so the kill lands
    // at varying points of a batch (before, during or after its intent).
    const uint32_t wait_for = 2 + 4 * step;
    uint32_t acked = 0;
    bool got = false;
    for (uint32_t i = 0; i < wait_for; ++i)
      got = ::read(pipe_fds[0], &acked, sizeof acked) == sizeof acked;
    ::usleep(static_cast<useconds_t>(4000 * step));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(pipe_fds[0]);
    ASSERT_TRUE(got) << "child stopped early, status " << status;
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);

    auto db = open(dir.path());
    Keyspace ks = *db->keyspace("t", true);
    std::string first_latest;
    std::vector<std::string> first_batches;
    for (uint64_t p = 0; p < 8; ++p) {
      uint64_t start = partition_start(p, 3);
      std::string latest;
      ASSERT_TRUE(db->get(ks, key(start, "latest"), &latest)) << "partition " << p;
      RangeSpec range;
      range.lower = Bound{key(start, "batch"), true};
      range.upper = Bound{key(start, "batci"), false};
      std::vector<std::string> batches;
      for (const auto& k : scan(*db, ks, range)) batches.push_back(k.substr(8));
      if (p == 0) {
        first_latest = latest;
        first_batches = batches;
        // Every acknowledged batch is there.
        EXPECT_GE(std::stoul(latest), acked);
        EXPECT_EQ(batches.size(), std::stoul(latest) + 1);
      } else {
        EXPECT_EQ(latest, first_latest) << "partition " << p << ", round " << round;
        EXPECT_EQ(batches, first_batches) << "partition " << p << ", round " << round;
      }
    }
    std::cout << "round " << round << ": " << acked + 1 << " batches acknowledged, "
              << first_latest << " was last, intents replayed at open: "
              << stat(*db, "intents_replayed_at_open") << ", partial batches repaired: "
              << stat(*db, "partial_batches_repaired_at_open") << "\n";
    repaired += stat(*db, "partial_batches_repaired_at_open") != "0";
  }
  // Otherwise every kill fell between batches and the rounds proved nothing
  // about the intent log.
  EXPECT_GT(repaired, 0) << "no kill landed inside a batch";
}

// Writers share the partitions (each batch spans all of them) while readers
// scan and get: every writer's last batch must be whole in every partition,
// and readers must never fail.
TEST(SqliteEngine, ConcurrentWritersAndReaders) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "4"}});
  Keyspace ks = *db->keyspace("t", true);
  constexpr int kWriters = 3;
  constexpr int kBatches = 30;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kBatches; ++i) {
        WriteBatch batch;
        // Alternate multi-partition batches with single-partition ones.
        uint64_t parts = i % 2 == 0 ? 4 : 1;
        for (uint64_t p = 0; p < parts; ++p)
          batch.put(ks, key(partition_start(p, 2), "w" + std::to_string(w)),
                    std::to_string(i));
        EXPECT_NO_THROW(db->write(batch, false));
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      for (int i = 0; i < 40; ++i) {
        std::string value;
        EXPECT_NO_THROW(db->get(ks, key(0, "w0"), &value));
        std::vector<std::string> keys;
        EXPECT_NO_THROW(keys = scan(*db, ks));
        EXPECT_LE(keys.size(), 4u * kWriters);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < kWriters; ++w) {
    for (uint64_t p = 0; p < 4; ++p) {
      std::string value;
      ASSERT_TRUE(
          db->get(ks, key(partition_start(p, 2), "w" + std::to_string(w)), &value));
      // The last batch was single-partition (partition 0 only), the one
      // before it spanned all four.
      EXPECT_EQ(value, std::to_string(p == 0 ? kBatches - 1 : kBatches - 2));
    }
  }
}

TEST(SqliteEngine, PartitionCountIsFixedAtCreation) {
  TempDir dir;
  open(dir.path(), {{"partitions", "8"}});
  EXPECT_EQ(stat(*open(dir.path()), "partitions"), "8");
  std::string message;
  EXPECT_EQ(open_status(dir.path(), {{"partitions", "16"}}, &message),
            JORMUN_INVALID_ARGUMENT);
  EXPECT_NE(message.find("'partitions' is 16"), std::string::npos) << message;
  EXPECT_NE(message.find("created with 8"), std::string::npos) << message;
  EXPECT_EQ(open_status(dir.path(), {{"partitions", "8"}}, &message), JORMUN_OK);
}

TEST(SqliteEngine, DefaultPartitionCountIsSixteen) {
  TempDir dir;
  auto db = open(dir.path());
  EXPECT_EQ(stat(*db, "partitions"), "16");
  EXPECT_EQ(stat(*db, "synchronous"), "normal");
}

// Hits and misses are summed over the writer and the readers, and a
// reader's are kept when it is leased again, so the figures never go down.
TEST(SqliteEngine, PageCacheFiguresCountReadsAndNeverGoDown) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "2"}});
  Keyspace ks = *db->keyspace("t", true);
  WriteBatch batch;
  for (int i = 0; i < 200; ++i) batch.put(ks, key(partition_start(i % 2, 1) + i), "v");
  db->write(batch, false);
  auto looked_up = [&] {
    return std::stoull(stat(*db, "page_cache_hits_total")) +
           std::stoull(stat(*db, "page_cache_misses_total"));
  };
  const uint64_t before = looked_up();
  std::string value;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 200; ++i)
      ASSERT_TRUE(db->get(ks, key(partition_start(i % 2, 1) + i), &value));
    const uint64_t now = looked_up();
    EXPECT_GT(now, before);
    EXPECT_GE(looked_up(), now);
  }
  EXPECT_GT(std::stoull(stat(*db, "page_cache_used_bytes")), 0u);
}

TEST(SqliteEngine, RejectsUnknownOptionsAndBadValues) {
  TempDir dir;
  std::string message;
  EXPECT_EQ(open_status(dir.path(), {{"foo", "1"}}, &message), JORMUN_INVALID_ARGUMENT);
  EXPECT_NE(message.find("sqlite: unknown option 'foo'"), std::string::npos) << message;
  const Options bad[] = {{{"partitions", "3"}},       {{"partitions", "0"}},
                         {{"partitions", "512"}},     {{"partitions", "8x"}},
                         {{"synchronous", "always"}}, {{"busy_timeout_ms", "-1"}},
                         {{"mmap_mb", "65537"}},      {{"mmap_mb", "lots"}}};
  for (const auto& options : bad) {
    EXPECT_EQ(open_status(dir.path(), options, &message), JORMUN_INVALID_ARGUMENT)
        << options[0].first << "=" << options[0].second;
    EXPECT_NE(message.find("'" + options[0].first + "'"), std::string::npos) << message;
  }
  // Nothing was created by the rejected opens.
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(SqliteEngine, MissingDataDirectoryIsAnError) {
  TempDir dir;
  std::string message;
  EXPECT_EQ(open_status(dir.path() + "/absent", {}, &message), JORMUN_INVALID_ARGUMENT);
}

TEST(SqliteEngine, DroppedKeyspaceLosesItsEntriesInEveryPartition) {
  TempDir dir;
  {
    auto db = open(dir.path(), {{"partitions", "4"}});
    Keyspace doomed = *db->keyspace("doomed", true);
    Keyspace kept = *db->keyspace("kept", true);
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p) {
      batch.put(doomed, key(partition_start(p, 2)), "x");
      batch.put(kept, key(partition_start(p, 2)), "y");
    }
    db->write(batch, false);
    db->drop(doomed);
    EXPECT_FALSE(db->keyspace("doomed", false).has_value());
    Keyspace again = *db->keyspace("doomed", true);
    EXPECT_TRUE(scan(*db, again).empty());
  }
  auto db = open(dir.path());
  EXPECT_TRUE(scan(*db, *db->keyspace("doomed", false)).empty());
  EXPECT_EQ(scan(*db, *db->keyspace("kept", false)).size(), 4u);
  EXPECT_EQ(stat(*db, "keyspaces"), "2");
}

TEST(SqliteEngine, CheckpointOpensAsAnInstanceWithTheDataOfItsTime) {
  TempDir dir;
  std::string copy = dir.path() + "/checkpoint";
  {
    fs::create_directory(dir.path() + "/data");
    auto db = open(dir.path() + "/data", {{"partitions", "4"}});
    Keyspace ks = *db->keyspace("t", true);
    WriteBatch batch;
    for (uint64_t p = 0; p < 4; ++p) batch.put(ks, key(partition_start(p, 2)), "before");
    db->write(batch, false);
    db->checkpoint(copy);
    WriteBatch later;
    for (uint64_t p = 0; p < 4; ++p) later.put(ks, key(partition_start(p, 2)), "after");
    db->write(later, false);
    EXPECT_THROW(db->checkpoint(copy), EngineError);  // the target exists now
  }
  auto db = open(copy);
  EXPECT_EQ(stat(*db, "partitions"), "4");
  Keyspace ks = *db->keyspace("t", false);
  for (uint64_t p = 0; p < 4; ++p) {
    std::string value;
    ASSERT_TRUE(db->get(ks, key(partition_start(p, 2)), &value));
    EXPECT_EQ(value, "before");
  }
}

TEST(SqliteEngine, ReportsSizeAndNoSnapshots) {
  TempDir dir;
  auto db = open(dir.path(), {{"synchronous", "full"}});
  Keyspace ks = *db->keyspace("t", true);
  WriteBatch batch;
  batch.put(ks, key(1), std::string(100000, 'v'));
  db->write(batch, true);
  EXPECT_GE(std::stoull(stat(*db, "approximate_size_bytes")), 100000u);
  EXPECT_FALSE(db->library().has(JORMUN_CAP_SNAPSHOTS));
  EXPECT_TRUE(db->library().has(JORMUN_CAP_CHECKPOINT));
}

}  // namespace
