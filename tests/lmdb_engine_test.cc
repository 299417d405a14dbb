// Tests of the LMDB engine plugin through the host wrapper, as the server
// loads it: long keys, map growth (also under open iterators and
// snapshots), concurrency, reopen, options and checkpoints.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <jormun/engine.hpp>
#include <map>
#include <random>
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
using Model = std::map<std::string, std::string>;

std::shared_ptr<Library> library() {
  static std::shared_ptr<Library> lib =
      Library::load(std::string(JORMUN_TEST_PLUGIN_DIR) + "/jormun_lmdb.so");
  return lib;
}

class LmdbEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "jormun_lmdb_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "db";
    fs::create_directory(dir_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<Instance> open(const Options& options = {}) {
    return open_at(dir_, options);
  }
  static std::unique_ptr<Instance> open_at(const fs::path& dir,
                                           const Options& options = {}) {
    return Instance::open(library(), dir.string(), options);
  }
  static uint64_t stat(Instance& db, const std::string& name) {
    for (const auto& [k, v] : db.stats())
      if (k == name) return std::stoull(v);
    ADD_FAILURE() << "no stat " << name;
    return 0;
  }

  fs::path root_, dir_;
};

// Everything an iterator over `range` yields.
std::vector<std::pair<std::string, std::string>> scan(Instance& db, Keyspace ks,
                                                      const RangeSpec& range = {}) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = db.iterate(ks, range);
  std::string_view k, v;
  while (it.next(&k, &v)) out.emplace_back(k, v);
  return out;
}

// What `range` should yield from `model`.
std::vector<std::pair<std::string, std::string>> expect(const Model& model,
                                                        const RangeSpec& range) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : model) {
    if (range.lower &&
        (range.lower->inclusive ? k < range.lower->key : k <= range.lower->key))
      continue;
    if (range.upper &&
        (range.upper->inclusive ? k > range.upper->key : k >= range.upper->key))
      continue;
    out.emplace_back(k, v);
  }
  if (range.reverse) std::reverse(out.begin(), out.end());
  return out;
}

// Keys that cross the 480-byte bucket boundary in every way: short keys,
// keys just shorter and just longer than the bucket prefix sharing it, and
// keys up to 4096 bytes sharing a 2000-byte prefix, drawn from an alphabet
// that includes 0x00 and 0xff so prefix and byte-order edge cases occur.
std::vector<std::string> mixed_keys(std::mt19937& rng) {
  const std::string alphabet(
      "\x00\x01"
      "a\xfe\xff",
      5);
  auto tail = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  std::string near(474, 'p');
  std::string deep = std::string(2000, 'q');
  std::vector<std::string> keys;
  for (int i = 0; i < 150; ++i) keys.push_back(tail(1 + rng() % 12));
  for (int i = 0; i < 300; ++i) keys.push_back(near + tail(rng() % 14));
  for (int i = 0; i < 150; ++i) keys.push_back(deep + tail(rng() % 2097));
  for (int i = 0; i < 50; ++i) keys.push_back(std::string(480, 'p') + tail(rng() % 3));
  std::erase(keys, std::string());
  return keys;
}

TEST_F(LmdbEngine, PutGetDeleteAndEmptyKey) {
  auto db = open();
  Keyspace ks = *db->keyspace("base", true);
  WriteBatch b;
  b.put(ks, "k1", "v1");
  b.put(ks, "k2", "");
  b.del(ks, "absent");
  db->write(b, false);
  std::string v;
  ASSERT_TRUE(db->get(ks, "k1", &v));
  EXPECT_EQ(v, "v1");
  ASSERT_TRUE(db->get(ks, "k2", &v));
  EXPECT_EQ(v, "");
  EXPECT_FALSE(db->get(ks, "k3", &v));
  EXPECT_THROW(db->get(ks, "", &v), EngineError);

  WriteBatch empty_key;
  empty_key.put(ks, "", "x");
  try {
    db->write(empty_key, false);
    FAIL() << "empty key accepted";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.status(), JORMUN_INVALID_ARGUMENT);
  }
}

TEST_F(LmdbEngine, LongKeysKeepByteOrderAndBounds) {
  auto db = open();
  Keyspace ks = *db->keyspace("base", true);
  std::mt19937 rng(7);
  Model model;
  std::vector<std::string> keys = mixed_keys(rng);
  for (size_t i = 0; i < keys.size(); i += 40) {
    WriteBatch b;
    for (size_t j = i; j < std::min(keys.size(), i + 40); ++j) {
      std::string value = "v" + std::to_string(j);
      b.put(ks, keys[j], value);
      model[keys[j]] = value;
    }
    db->write(b, false);
  }
  // Delete a third, so that buckets shrink and some disappear.
  WriteBatch dels;
  for (size_t i = 0; i < keys.size(); i += 3) {
    dels.del(ks, keys[i]);
    model.erase(keys[i]);
  }
  db->write(dels, false);

  ASSERT_EQ(scan(*db, ks), expect(model, {}));
  RangeSpec all_reverse;
  all_reverse.reverse = true;
  ASSERT_EQ(scan(*db, ks, all_reverse), expect(model, all_reverse));
  for (const auto& [k, v] : model) {
    std::string got;
    ASSERT_TRUE(db->get(ks, k, &got)) << k.size();
    EXPECT_EQ(got, v);
  }
  for (size_t i = 0; i < keys.size(); i += 3) {
    std::string got;
    EXPECT_EQ(db->get(ks, keys[i], &got), model.count(keys[i]) == 1);
  }

  // Bounds: stored keys, deleted keys and keys never written (prefixes and
  // extensions of stored ones), so bounds fall inside buckets and between
  // direct keys and buckets.
  std::vector<std::string> bounds = keys;
  for (size_t i = 0; i < keys.size(); i += 5) {
    bounds.push_back(keys[i] + '\0');
    bounds.push_back(keys[i].substr(0, keys[i].size() / 2 + 1));
  }
  bounds.push_back(std::string(480, 'p'));
  bounds.push_back(std::string(479, 'p'));
  bounds.push_back(std::string(1, '\0'));
  bounds.push_back(std::string(4100, '\xff'));
  // Bounds beyond either end, in both directions.
  for (bool reverse : {false, true}) {
    for (const std::string& edge : {std::string(1, '\0'), std::string(4100, '\xff')}) {
      RangeSpec below{{}, Bound{edge, true}, reverse, nullptr};
      RangeSpec above{Bound{edge, false}, {}, reverse, nullptr};
      ASSERT_EQ(scan(*db, ks, below), expect(model, below));
      ASSERT_EQ(scan(*db, ks, above), expect(model, above));
    }
  }
  for (int round = 0; round < 300; ++round) {
    RangeSpec r;
    r.reverse = round % 2 == 1;
    std::string a = bounds[rng() % bounds.size()];
    std::string b = bounds[rng() % bounds.size()];
    if (b < a) std::swap(a, b);
    if (round % 7 != 0) r.lower = Bound{a, rng() % 2 == 0};
    if (round % 5 != 0) r.upper = Bound{b, rng() % 2 == 0};
    ASSERT_EQ(scan(*db, ks, r), expect(model, r)) << "round " << round;
  }
}

TEST_F(LmdbEngine, MapGrowsFromTinyMap) {
  auto db = open({{"map_size_mb", "1"}});
  Keyspace ks = *db->keyspace("base", true);
  uint64_t initial = stat(*db, "map_size_bytes");
  const std::string value(4000, 'x');
  for (int batch = 0; batch < 100; ++batch) {
    WriteBatch b;
    for (int i = 0; i < 50; ++i) b.put(ks, "key" + std::to_string(batch * 50 + i), value);
    db->write(b, false);
  }
  EXPECT_GT(stat(*db, "map_size_bytes"), initial);
  EXPECT_GE(stat(*db, "approximate_size_bytes"), 5000u * 4000u);
  EXPECT_EQ(stat(*db, "map_used_bytes"), stat(*db, "approximate_size_bytes"));
  EXPECT_LE(stat(*db, "map_used_bytes"), stat(*db, "map_size_bytes"));
  EXPECT_EQ(scan(*db, ks).size(), 5000u);
  std::string got;
  ASSERT_TRUE(db->get(ks, "key4999", &got));
  EXPECT_EQ(got, value);
}

// An iterator parked between calls in another thread, halfway through a
// bucket of long keys, survives growth and yields exactly the keys of its
// (unchanged) keyspace, in order.
TEST_F(LmdbEngine, GrowthWhileIteratorOpenInAnotherThread) {
  auto db = open({{"map_size_mb", "1"}});
  Keyspace scanned = *db->keyspace("scanned", true);
  Keyspace filler = *db->keyspace("filler", true);
  Model model;
  WriteBatch b;
  for (int i = 0; i < 40; ++i) {
    std::string shortkey = "s" + std::to_string(100 + i);
    std::string longkey = std::string(600, 'L') + std::to_string(100 + i);
    b.put(scanned, shortkey, "short");
    b.put(scanned, longkey, "long");
    model[shortkey] = "short";
    model[longkey] = "long";
  }
  db->write(b, false);

  for (bool reverse : {false, true}) {
    std::promise<void> parked, grown;
    std::shared_future<void> grown_future = grown.get_future().share();
    auto reader = std::async(std::launch::async, [&] {
      RangeSpec r;
      r.reverse = reverse;
      auto it = db->iterate(scanned, r);
      std::vector<std::string> seen;
      std::string_view k, v;
      // 20 long keys come first forward, 20 short ones first in reverse;
      // 30 entries end inside the bucket going forward.
      for (int i = 0; i < 30 && it.next(&k, &v); ++i) seen.emplace_back(k);
      parked.set_value();
      grown_future.wait();
      while (it.next(&k, &v)) seen.emplace_back(k);
      return seen;
    });
    parked.get_future().wait();
    uint64_t before = stat(*db, "map_size_bytes");
    for (int batch = 0; stat(*db, "map_size_bytes") == before; ++batch) {
      ASSERT_LT(batch, 10000) << "map never grew";
      WriteBatch fill;
      for (int i = 0; i < 20; ++i)
        fill.put(filler, std::to_string(reverse) + "/" + std::to_string(batch * 20 + i),
                 std::string(2000, 'f'));
      db->write(fill, false);
    }
    grown.set_value();
    std::vector<std::string> seen = reader.get();
    std::vector<std::string> want;
    for (const auto& kv : expect(model, RangeSpec{{}, {}, reverse, nullptr}))
      want.push_back(kv.first);
    EXPECT_EQ(seen, want) << "reverse=" << reverse;
  }
}

// Growth never remaps under a snapshot: a write that needs a bigger map
// fails with NO_SPACE while one is held (instead of risking a deadlock with
// the snapshot's holder), the snapshot keeps its view, and the same write
// succeeds once it is released.
TEST_F(LmdbEngine, SnapshotHeldDuringGrowthKeepsItsViewAndGrowthResumes) {
  auto db = open({{"map_size_mb", "1"}});
  Keyspace ks = *db->keyspace("base", true);
  WriteBatch first;
  first.put(ks, "fixed", "old");
  db->write(first, false);
  auto snap = db->snapshot();
  ASSERT_TRUE(snap.has_value());
  WriteBatch change;
  change.put(ks, "fixed", "new");
  db->write(change, false);

  WriteBatch failed;
  int batch = 0;
  for (;; ++batch) {
    ASSERT_LT(batch, 10000) << "map never filled";
    WriteBatch fill;
    for (int i = 0; i < 20; ++i)
      fill.put(ks, "f" + std::to_string(batch * 20 + i), std::string(2000, 'f'));
    try {
      db->write(fill, false);
    } catch (const EngineError& e) {
      EXPECT_EQ(e.status(), JORMUN_NO_SPACE) << e.what();
      failed = fill;
      break;
    }
  }
  std::string got;
  ASSERT_TRUE(db->get(ks, "fixed", &got, &*snap));
  EXPECT_EQ(got, "old");
  EXPECT_FALSE(db->get(ks, "f0", &got, &*snap));
  EXPECT_EQ(scan(*db, ks, RangeSpec{{}, {}, false, &*snap}).size(), 1u);

  uint64_t before = stat(*db, "map_size_bytes");
  snap.reset();
  db->write(failed, false);
  EXPECT_GT(stat(*db, "map_size_bytes"), before);
  EXPECT_EQ(scan(*db, ks).size(), 1u + 20u * (batch + 1));
}

TEST_F(LmdbEngine, SnapshotIsolationAndKeyspaceCreatedLater) {
  auto db = open();
  Keyspace ks = *db->keyspace("base", true);
  WriteBatch b;
  b.put(ks, "a", "1");
  b.put(ks, std::string(700, 'z'), "long1");
  db->write(b, false);
  auto snap = db->snapshot();
  Keyspace later = *db->keyspace("later", true);
  WriteBatch c;
  c.put(ks, "b", "2");
  c.put(ks, std::string(700, 'z'), "long2");
  c.put(later, "x", "y");
  db->write(c, false);

  std::string got;
  EXPECT_FALSE(db->get(ks, "b", &got, &*snap));
  ASSERT_TRUE(db->get(ks, std::string(700, 'z'), &got, &*snap));
  EXPECT_EQ(got, "long1");
  EXPECT_FALSE(db->get(later, "x", &got, &*snap));
  EXPECT_TRUE(scan(*db, later, RangeSpec{{}, {}, false, &*snap}).empty());
  EXPECT_EQ(scan(*db, ks, RangeSpec{{}, {}, true, &*snap}),
            (std::vector<std::pair<std::string, std::string>>{
                {std::string(700, 'z'), "long1"}, {"a", "1"}}));
  // A plain iterator reads the state at its creation, not later writes.
  auto it = db->iterate(ks, {});
  WriteBatch d;
  d.put(ks, "c", "3");
  db->write(d, false);
  std::string_view k, v;
  int n = 0;
  while (it.next(&k, &v)) ++n;
  EXPECT_EQ(n, 3);
}

// Writes `batches` batches, each putting one key into `left` and a long one
// into `right`, and counts the committed batches in `committed`.
void write_pairs(Instance& db, Keyspace left, Keyspace right, int batches,
                 std::atomic<int>& committed) {
  for (int i = 0; i < batches; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "%06d", i);
    WriteBatch b;
    b.put(left, key, std::string(1500, 'l'));
    b.put(right, std::string(500, 'r') + key, std::string(1500, 'r'));
    db.write(b, false);
    committed = i + 1;
  }
}

std::string pair_key(int i) {
  char key[16];
  std::snprintf(key, sizeof key, "%06d", i);
  return key;
}

// Readers scan and get while the writer makes the map grow many times; every
// committed key is readable and every scan is in order.
TEST_F(LmdbEngine, ConcurrentReadersAndWriterDuringGrowth) {
  auto db = open({{"map_size_mb", "1"}, {"sync", "false"}});
  Keyspace left = *db->keyspace("left", true);
  Keyspace right = *db->keyspace("right", true);
  std::atomic<int> committed{0};
  const int batches = 600;
  auto writer = std::async(std::launch::async,
                           [&] { write_pairs(*db, left, right, batches, committed); });
  auto reader = [&](bool reverse) {
    int rounds = 0;
    for (int seen = 0; seen < batches; ++rounds) {
      seen = committed.load();
      auto l = scan(*db, left, RangeSpec{{}, {}, reverse, nullptr});
      EXPECT_GE(l.size(), static_cast<size_t>(seen));
      for (size_t i = 1; i < l.size(); ++i)
        EXPECT_EQ(l[i - 1].first < l[i].first, !reverse);
      if (seen == 0) continue;
      std::string got;
      EXPECT_TRUE(db->get(left, pair_key(seen - 1), &got));
      EXPECT_TRUE(db->get(right, std::string(500, 'r') + pair_key(seen - 1), &got));
      EXPECT_EQ(got, std::string(1500, 'r'));
    }
    return rounds;
  };
  auto r1 = std::async(std::launch::async, reader, false);
  auto r2 = std::async(std::launch::async, reader, true);
  writer.get();
  EXPECT_GE(r1.get(), 1);
  EXPECT_GE(r2.get(), 1);
  EXPECT_GT(stat(*db, "map_size_bytes"), uint64_t{1} << 20);
  EXPECT_EQ(scan(*db, left).size(), static_cast<size_t>(batches));
  EXPECT_EQ(scan(*db, right).size(), static_cast<size_t>(batches));
}

// Readers at snapshots always see both halves of every batch.
TEST_F(LmdbEngine, SnapshotsSeeWholeBatchesWhileWriting) {
  auto db = open();
  Keyspace left = *db->keyspace("left", true);
  Keyspace right = *db->keyspace("right", true);
  std::atomic<int> committed{0};
  const int batches = 300;
  auto writer = std::async(std::launch::async,
                           [&] { write_pairs(*db, left, right, batches, committed); });
  auto reader = [&](bool reverse) {
    for (int seen = 0; seen < batches;) {
      seen = committed.load();
      auto snap = db->snapshot();
      RangeSpec r{{}, {}, reverse, &*snap};
      size_t l = scan(*db, left, r).size();
      EXPECT_GE(l, static_cast<size_t>(seen));
      EXPECT_EQ(l, scan(*db, right, r).size());
    }
  };
  auto r1 = std::async(std::launch::async, reader, false);
  auto r2 = std::async(std::launch::async, reader, true);
  writer.get();
  r1.get();
  r2.get();
}

TEST_F(LmdbEngine, ReopenKeepsKeyspacesAndData) {
  const std::string binary_name("bin\0name", 8);
  {
    auto db = open({{"sync", "false"}});
    WriteBatch b;
    b.put(*db->keyspace("base", true), "k", "v");
    b.put(*db->keyspace(binary_name, true), std::string(3000, 'k'), "long");
    db->write(b, true);
    db->keyspace("dropped", true);
    db->drop(*db->keyspace("dropped", false));
    EXPECT_FALSE(db->keyspace("dropped", false).has_value());
  }
  auto db = open({{"map_size_mb", "1"}});
  auto base = db->keyspace("base", false);
  auto binary = db->keyspace(binary_name, false);
  ASSERT_TRUE(base.has_value());
  ASSERT_TRUE(binary.has_value());
  EXPECT_FALSE(db->keyspace("dropped", false).has_value());
  EXPECT_FALSE(db->keyspace("never", false).has_value());
  EXPECT_EQ(db->keyspace("base", true)->handle, base->handle);
  std::string got;
  ASSERT_TRUE(db->get(*base, "k", &got));
  EXPECT_EQ(got, "v");
  ASSERT_TRUE(db->get(*binary, std::string(3000, 'k'), &got));
  EXPECT_EQ(got, "long");
  EXPECT_EQ(stat(*db, "keyspaces"), 2u);
}

TEST_F(LmdbEngine, RejectsUnknownOptionsAndBadValues) {
  struct Case {
    Options options;
    std::string message;
  };
  const Case cases[] = {
      {{{"foo", "1"}}, "lmdb: unknown option 'foo'"},
      {{{"map_size_mb", "abc"}}, "'map_size_mb'"},
      {{{"map_size_mb", "0"}}, "'map_size_mb'"},
      {{{"map_size_mb", "-5"}}, "'map_size_mb'"},
      {{{"sync", "maybe"}}, "'sync'"},
      {{{"max_keyspaces", "12x"}}, "'max_keyspaces'"},
  };
  for (const Case& c : cases) {
    try {
      open(c.options);
      ADD_FAILURE() << "accepted " << c.options[0].first << "=" << c.options[0].second;
    } catch (const EngineError& e) {
      EXPECT_EQ(e.status(), JORMUN_INVALID_ARGUMENT);
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST_F(LmdbEngine, KeyspaceLimitIsNoSpace) {
  auto db = open({{"max_keyspaces", "2"}});
  db->keyspace("one", true);
  db->keyspace("two", true);
  try {
    db->keyspace("three", true);
    FAIL() << "third keyspace created";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.status(), JORMUN_NO_SPACE);
  }
}

// While alive, writes by this process at or beyond `bytes` into any file
// fail with EFBIG (SIGXFSZ ignored): LMDB's commit then fails writing its
// pages, a fault no option can cause.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    EXPECT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_;
};

// mdb_drop closes the keyspace's handle before the commit; when the commit
// then fails, the keyspace still exists and its handle must still reach it,
// not a keyspace created later under the freed handle number.
TEST_F(LmdbEngine, FailedDropLeavesTheHandleOnItsOwnKeyspace) {
  auto db = open();
  Keyspace victim = *db->keyspace("victim", true);
  WriteBatch mine;
  mine.put(victim, "mine", "victim's");
  db->write(mine, false);
  {
    FileSizeLimit limit(8192);  // the two meta pages; every data page is beyond
    EXPECT_THROW(db->drop(victim), EngineError);
  }
  Keyspace newcomer = *db->keyspace("newcomer", true);
  WriteBatch theirs;
  theirs.put(newcomer, "theirs", "newcomer's");
  db->write(theirs, false);
  EXPECT_EQ(scan(*db, victim),
            (std::vector<std::pair<std::string, std::string>>{{"mine", "victim's"}}));
  EXPECT_EQ(scan(*db, newcomer),
            (std::vector<std::pair<std::string, std::string>>{{"theirs", "newcomer's"}}));
  db->drop(victim);
  EXPECT_FALSE(db->keyspace("victim", false).has_value());
  EXPECT_EQ(scan(*db, newcomer).size(), 1u);
}

TEST_F(LmdbEngine, CheckpointOpensAsACopy) {
  auto db = open();
  Keyspace ks = *db->keyspace("base", true);
  WriteBatch b;
  b.put(ks, "short", "1");
  b.put(ks, std::string(1000, 'c'), "2");
  db->write(b, false);
  const fs::path target = root_ / "checkpoint";
  db->checkpoint(target.string());
  WriteBatch after;
  after.put(ks, "after", "3");
  db->write(after, false);
  try {
    db->checkpoint(target.string());
    FAIL() << "checkpoint overwrote an existing directory";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.status(), JORMUN_INVALID_ARGUMENT);
  }

  auto copy = open_at(target);
  auto copied = copy->keyspace("base", false);
  ASSERT_TRUE(copied.has_value());
  EXPECT_EQ(scan(*copy, *copied), (std::vector<std::pair<std::string, std::string>>{
                                      {std::string(1000, 'c'), "2"}, {"short", "1"}}));
}

TEST_F(LmdbEngine, AdvertisesSnapshotsAndCheckpoints) {
  EXPECT_EQ(library()->name(), "lmdb");
  EXPECT_TRUE(library()->has(JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT));
}

}  // namespace
