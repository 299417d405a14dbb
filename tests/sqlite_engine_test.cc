// Tests of the SQLite engine plugin through the host wrapper: the contract
// points the partitioning could break (order, bounds, reverse), the
// `partitions` option and the statistics. sqlite_intent_log_test.cc has
// the batches that span partition files.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <jormun/engine.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_test_util.h"

namespace {

using namespace jormun::sqlite_test;

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

// The descriptors this process holds on partition files of `dir`.
size_t open_partition_files(const std::string& dir) {
  size_t n = 0;
  for (const auto& fd : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind(dir + "/p", 0) == 0) ++n;
  }
  return n;
}

// A table is an instance and a server holds thousands: an instance opens a
// partition's file when a request needs it, not every file at open.
TEST(SqliteEngine, OpensAPartitionFileOnlyWhenItIsUsed) {
  TempDir dir;
  {
    auto db = open(dir.path());
    Keyspace ks = *db->keyspace("t", true);
    WriteBatch batch;
    batch.put(ks, key(partition_start(3, 4), "a"), "v");
    db->write(batch, false);
  }
  auto db = open(dir.path());
  EXPECT_EQ(open_partition_files(dir.path()), 0u);
  Keyspace ks = *db->keyspace("t", false);
  std::string value;
  ASSERT_TRUE(db->get(ks, key(partition_start(3, 4), "a"), &value));
  EXPECT_FALSE(db->get(ks, key(partition_start(9, 4), "a"), &value));
  const size_t two = open_partition_files(dir.path());
  EXPECT_GT(two, 0u);
  EXPECT_LE(two, 6u);  // two files, each with its WAL and shared memory
  EXPECT_EQ(scan(*db, ks).size(), 1u);
  EXPECT_GT(open_partition_files(dir.path()), two);
}

// The pool closes idle instances and reopens them on demand: the files
// every open uses keep their WAL (emptied) and shared memory across a
// close, so a reopen makes no new inodes (connection.h, keep_wal_files).
TEST(SqliteEngine, MetadataAndIntentFilesKeepTheirWalFilesAcrossAClose) {
  TempDir dir;
  {
    auto db = open(dir.path());
    Keyspace ks = *db->keyspace("t", true);
    WriteBatch batch;
    batch.put(ks, key(1, "a"), "v");
    batch.put(ks, key(UINT64_MAX, "b"), "w");  // spans partitions: the intent log too
    db->write(batch, true);
  }
  for (const char* name : {"/meta.sqlite", "/intent.sqlite"}) {
    const std::string path = dir.path() + name;
    EXPECT_TRUE(fs::exists(path + "-shm")) << path;
    ASSERT_TRUE(fs::exists(path + "-wal")) << path;
    EXPECT_EQ(fs::file_size(path + "-wal"), 0u) << path;
  }
  auto db = open(dir.path());
  std::string value;
  ASSERT_TRUE(db->get(*db->keyspace("t", false), key(UINT64_MAX, "b"), &value));
  EXPECT_EQ(value, "w");
}

TEST(SqliteEngine, MissingPartitionFileIsAnErrorAtOpen) {
  TempDir dir;
  open(dir.path(), {{"partitions", "4"}});
  fs::remove(dir.path() + "/p0002.sqlite");
  std::string message;
  EXPECT_EQ(open_status(dir.path(), {}, &message), JORMUN_CORRUPTION);
  EXPECT_NE(message.find("p0002.sqlite"), std::string::npos) << message;
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
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

// A point read right after a write to its file finds the file's pages in
// memory: it goes through the idle writer, whose page cache outlives its own
// commits, where a reader's cache is dropped whenever the file changed.
TEST(SqliteEngine, ReadsBetweenWritesFindTheirPagesInMemory) {
  TempDir dir;
  auto db = open(dir.path(), {{"partitions", "1"}});
  Keyspace ks = *db->keyspace("t", true);
  const std::string value(500, 'v');
  WriteBatch all;
  for (uint64_t i = 0; i < 200; ++i) all.put(ks, key(i, "item"), value);
  db->write(all, false);
  auto misses = [&] { return std::stoull(stat(*db, "page_cache_misses_total")); };
  const uint64_t before = misses();
  std::string read;
  for (uint64_t i = 0; i < 200; ++i) {
    WriteBatch one;
    one.put(ks, key(i, "item"), value);
    db->write(one, false);
    ASSERT_TRUE(db->get(ks, key(i, "item"), &read));
  }
  EXPECT_EQ(misses(), before);
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
