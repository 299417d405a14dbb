// The catalog of a cluster in the database (storage::SharedCatalog, and
// storage::Catalog in cluster mode): two front ends are two objects over
// one PostgreSQL schema, each with a data directory of its own.
//
// Needs a PostgreSQL: ctest runs it under scripts/postgres.sh run, which
// exports JORMUN_PG_CONNINFO; without it the tests skip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/api_error.h"
#include "config/config.h"
#include "storage/backfill_lease.h"
#include "storage/catalog.h"
#include "storage/cluster_presence.h"
#include "storage/engine_registry.h"
#include "storage/shared_catalog.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;

TableSchema table(const std::string& name) {
  TableSchema s;
  s.name = name;
  s.id = name + "-id";
  s.partition_key = {"pk", model::Type::S};
  s.attribute_definitions = {s.partition_key};
  return s;
}

class ClusterCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("JORMUN_PG_CONNINFO") == nullptr)
      GTEST_SKIP() << "no PostgreSQL (run under scripts/postgres.sh run)";
    // A schema per test: each starts from an empty catalog.
    std::random_device rd;
    schema_ = "cc" + std::to_string(rd() % 1000000000u);
    dir_ = fs::temp_directory_path() / ("jormun-cluster-catalog-" + schema_);
    fs::create_directories(dir_);
    library_ = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_postgres.so");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SharedCatalog> open(const std::string& front_end) {
    fs::create_directories(dir_ / front_end);
    return std::make_unique<SharedCatalog>(library_, (dir_ / front_end).string(),
                                           std::vector<std::pair<std::string, std::string>>{
                                               {"schema", schema_}},
                                           nullptr);
  }

  // A config for one front end of the cluster on this test's schema.
  config::Config front_end_config(const std::string& front_end) {
    config::Config c = config::parse_config(
        "engines:\n  pg:\n    plugin: postgres\n    options: {schema: " + schema_ +
            "}\n  rocksdb: {plugin: rocksdb}\n"
            "tables:\n  default: pg\n  rules: [{match: 'local_*', engine: rocksdb}]\n"
            "cluster: {engine: pg, poll_ms: 20}\n",
        "test.yaml");
    c.data_dir = (dir_ / front_end).string();
    return c;
  }

  std::string schema_;
  fs::path dir_;
  std::shared_ptr<host::Library> library_;
};

TEST_F(ClusterCatalogTest, ACommitFromAnOldVersionIsRefused) {
  auto a = open("a"), b = open("b");
  EXPECT_EQ(a->version(), 0u);
  ASSERT_TRUE(a->commit(0, {table("t1")}, {}));
  // b started from version 0 too: it lost the race and changes nothing.
  EXPECT_FALSE(b->commit(0, {table("t2")}, {}));
  SharedCatalog::State seen = b->read();
  EXPECT_EQ(seen.version, 1u);
  ASSERT_EQ(seen.tables.size(), 1u);
  EXPECT_EQ(seen.tables.begin()->second.id, "t1-id");
  // From the version it now knows, b's change applies.
  ASSERT_TRUE(b->commit(1, {table("t2")}, {"t1"}));
  seen = a->read();
  EXPECT_EQ(seen.version, 2u);
  ASSERT_EQ(seen.tables.size(), 1u);
  EXPECT_EQ(seen.tables.begin()->first, "t2");
}

TEST_F(ClusterCatalogTest, ConcurrentChangesAllApplyOnceEach) {
  constexpr int kThreads = 6, kEach = 10;
  std::vector<std::unique_ptr<SharedCatalog>> front_ends;
  for (int i = 0; i < kThreads; ++i) front_ends.push_back(open("fe" + std::to_string(i)));
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      for (int n = 0; n < kEach; ++n)
        for (;;) {
          const uint64_t at = front_ends[i]->version();
          if (front_ends[i]->commit(at, {table("t" + std::to_string(i) + "_" +
                                               std::to_string(n))},
                                    {}))
            break;
          refused.fetch_add(1);
        }
    });
  for (auto& t : threads) t.join();
  SharedCatalog::State state = front_ends[0]->read();
  EXPECT_EQ(state.version, uint64_t{kThreads * kEach});
  EXPECT_EQ(state.tables.size(), size_t{kThreads * kEach});
}

TEST_F(ClusterCatalogTest, FrontEndsShareTablesAndOneCreateOfANameWins) {
  config::Config ca = front_end_config("a"), cb = front_end_config("b");
  EngineRegistry engines(ca, JORMUN_TEST_PLUGIN_DIR);
  std::optional<Catalog> a, b;
  a.emplace(ca, engines);
  b.emplace(cb, engines);
  ASSERT_TRUE(a->clustered());

  // Both create "same" at once, each on the catalog it has seen: one wins.
  for (int round = 0; round < 3; ++round) {
    const std::string name = "same" + std::to_string(round);
    std::barrier go(2);
    std::atomic<int> created{0}, in_use{0};
    auto make = [&](Catalog& c) {
      go.arrive_and_wait();
      try {
        c.create(table(name));
        created.fetch_add(1);
      } catch (const ApiError& e) {
        if (e.type() == "ResourceInUseException") in_use.fetch_add(1);
      }
    };
    std::thread ta([&] { make(*a); }), tb([&] { make(*b); });
    ta.join();
    tb.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(in_use.load(), 1);
  }

  // A table created through a is found through b once b has polled, and
  // its items are the same rows.
  auto made = a->create(table("shared"));
  std::shared_ptr<Table> seen;
  for (int i = 0; i < 500 && !(seen = b->find("shared")); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen->schema().id, made->schema().id);

  // A table on another engine than the cluster's is refused.
  try {
    a->create(table("local_t"));
    ADD_FAILURE() << "a table off the cluster's engine was created";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "ValidationException");
  }

  // A drop through b leaves a too (once nothing holds the table: a request
  // holds it for one request only).
  made.reset();
  seen.reset();
  b->drop("shared");
  for (int i = 0; i < 500 && a->find("shared"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(a->find("shared"), nullptr);

  // A third front end started now lists what the cluster has.
  config::Config cc = front_end_config("c");
  Catalog c(cc, engines);
  EXPECT_EQ(c.names(), (std::vector<std::string>{"same0", "same1", "same2"}));
  b.reset();
  a.reset();
}

// A backfill's lease (storage/backfill_lease.h) changes hands only from
// the value the taker saw: a holder that renewed keeps it, one that did not
// loses it and learns so at its next renewal.
TEST_F(ClusterCatalogTest, ABackfillLeaseIsTakenOverOnlyFromTheValueSeen) {
  using std::chrono::milliseconds;
  const milliseconds period(30);
  auto a = open("a"), b = open("b");
  const std::string key = BackfillLease::key("t-id", "by_g");
  auto mine = BackfillLease::claim(*a, key, std::nullopt, "a", period, "index by_g");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(BackfillLease::claim(*b, key, std::nullopt, "b", period, "index by_g"), nullptr);
  const std::optional<std::string> seen = b->row(key);
  ASSERT_TRUE(seen);
  // a renews (a third of the period has passed): what b saw is old.
  std::this_thread::sleep_for(period / 2);
  EXPECT_TRUE(mine->keep());
  EXPECT_NE(b->row(key), seen);
  EXPECT_EQ(BackfillLease::claim(*b, key, seen, "b", period, "index by_g", true), nullptr);
  // Taken over from the value there now: a has lost it.
  auto theirs = BackfillLease::claim(*b, key, b->row(key), "b", period, "index by_g", true);
  ASSERT_NE(theirs, nullptr);
  std::this_thread::sleep_for(period / 2);
  EXPECT_FALSE(mine->keep());
  mine->release();  // not a's: the row stays
  EXPECT_TRUE(b->row(key));
  theirs->release();
  EXPECT_FALSE(b->row(key));
}

// A takeover resumes where the holder stopped: the holder records, at its
// renewals, the highest position it was given (a call without progress
// keeps it), and the front end that takes the lease over from that value
// reads it back, and writes it on in its own value. A new backfill takes no
// position from a row left by an earlier index of the name.
TEST_F(ClusterCatalogTest, ABackfillTakenOverResumesAfterThePositionItsHolderRecorded) {
  using std::chrono::milliseconds;
  const milliseconds period(30);
  auto a = open("a"), b = open("b");
  const std::string key = BackfillLease::key("t-id", "by_g");
  auto mine = BackfillLease::claim(*a, key, std::nullopt, "a", period, "index by_g");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->resumes().items, 0u);
  EXPECT_EQ(a->row(key), "a 0");  // no item done: the old form
  const std::string last("k\0\xff", 3);
  std::this_thread::sleep_for(period / 2);
  EXPECT_TRUE(mine->keep({2345, last}));
  EXPECT_EQ(a->row(key), "a 2345 6b00ff 1");
  std::this_thread::sleep_for(period / 2);
  EXPECT_TRUE(mine->keep());  // the recount: no progress
  EXPECT_EQ(a->row(key), "a 2345 6b00ff 2");

  auto theirs = BackfillLease::claim(*b, key, b->row(key), "b", period, "index by_g",
                                     /*takeover=*/true);
  ASSERT_NE(theirs, nullptr);
  EXPECT_EQ(theirs->resumes().items, 2345u);
  EXPECT_EQ(theirs->resumes().last_key, last);
  // Should b stop before its first renewal, the next taker resumes there too.
  EXPECT_EQ(b->row(key), "b 2345 6b00ff 3");

  // A new index of the name starts from the first item.
  auto fresh = BackfillLease::claim(*a, key, a->row(key), "a", period, "index by_g");
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(fresh->resumes().items, 0u);
  EXPECT_EQ(a->row(key), "a 4");
  fresh->release();
}

// An older front end's value, "<owner> <renewals>", is taken over with no
// position, its renewals counted on; and such a front end, which reads the
// renewals after the last space, counts on from a value with a position.
TEST_F(ClusterCatalogTest, ABackfillLeaseReadsTheValueWithoutAPosition) {
  using std::chrono::milliseconds;
  const milliseconds period(30);
  auto a = open("a");
  const std::string key = BackfillLease::key("t-id", "by_g");
  ASSERT_TRUE(a->swap_row(key, std::nullopt, "old 7"));
  auto lease = BackfillLease::claim(*a, key, "old 7", "a", period, "index by_g",
                                    /*takeover=*/true);
  ASSERT_NE(lease, nullptr);
  EXPECT_EQ(lease->resumes().items, 0u);
  EXPECT_EQ(lease->resumes().last_key, "");
  EXPECT_EQ(a->row(key), "a 8");
  std::this_thread::sleep_for(period / 2);
  EXPECT_TRUE(lease->keep({1, "k"}));
  const std::string value = *a->row(key);
  EXPECT_EQ(value, "a 1 6b 9");
  EXPECT_EQ(value.substr(value.rfind(' ') + 1), "9");  // what an older one reads
  lease->release();
}

// A backfill waits for every live front end to have applied its catalog
// version; one silent for the whole period is counted gone.
TEST_F(ClusterCatalogTest, ABackfillWaitsForLiveFrontEndsToApplyTheVersion) {
  using std::chrono::milliseconds;
  const milliseconds period(2000);
  auto catalog = open("a");
  ClusterPresence a(*catalog, "a", period), b(*catalog, "b", period), gone(*catalog, "g", period);
  a.announce(5);
  b.announce(4);
  gone.announce(3);  // and never again
  std::atomic<bool> done{false};
  std::stop_source stop;
  std::thread waiter([&] {
    EXPECT_TRUE(a.wait_for(5, milliseconds(10), stop.get_token(), [] { return true; }));
    done = true;
  });
  // Not before b applies version 5 (b renews its presence meanwhile).
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    b.announce(4);
  }
  EXPECT_FALSE(done.load());
  b.announce(5);
  waiter.join();
  // The silent one's row went with it; b's stays until it leaves.
  EXPECT_FALSE(catalog->row("f/g"));
  EXPECT_TRUE(catalog->row("f/b"));
  b.leave();
  EXPECT_FALSE(catalog->row("f/b"));
  // A keep that says no, or a stop, ends the wait.
  gone.announce(3);
  EXPECT_FALSE(a.wait_for(5, milliseconds(10), stop.get_token(), [] { return false; }));
  stop.request_stop();
  EXPECT_FALSE(a.wait_for(5, milliseconds(10), stop.get_token(), [] { return true; }));
}

TEST(StaleWatchTest, ARowIsStaleOnlyAfterAWholePeriodUnchanged) {
  using std::chrono::milliseconds;
  StaleWatch watch(milliseconds(40));
  EXPECT_FALSE(watch.stale("k", "v1"));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(watch.stale("k", "v2"));  // changed: counted from now
  EXPECT_FALSE(watch.stale("absent", std::nullopt));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(watch.stale("k", "v2"));
  EXPECT_TRUE(watch.stale("absent", std::nullopt));
  // A row no longer watched is forgotten: seen again, it starts anew.
  watch.sweep();
  watch.sweep();
  EXPECT_FALSE(watch.stale("k", "v2"));
}

// Front ends open a table's new index keyspace at the same moment (each
// applies the catalog change that made the index): both must get the one
// keyspace, none an error.
TEST_F(ClusterCatalogTest, FrontEndsCreatingOneKeyspaceAtOnceShareIt) {
  const std::vector<std::pair<std::string, std::string>> options = {
      {"schema", schema_}, {"instance_id", "00112233445566778899aabbccddeeff"}};
  constexpr int kFrontEnds = 4, kRounds = 20;
  std::vector<std::unique_ptr<host::Instance>> instances;
  for (int i = 0; i < kFrontEnds; ++i) {
    fs::create_directories(dir_ / std::to_string(i));
    instances.push_back(host::Instance::open(library_, (dir_ / std::to_string(i)).string(),
                                             options));
  }
  std::barrier start(kFrontEnds);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kFrontEnds; ++i)
    threads.emplace_back([&, i] {
      for (int round = 0; round < kRounds; ++round) {
        start.arrive_and_wait();
        try {
          auto ks = instances[i]->keyspace("index:" + std::to_string(round), true);
          if (!ks) ++failures;
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // One keyspace each: a put through one front end is read through another.
  auto a = instances[0]->keyspace("index:0", false);
  auto b = instances[1]->keyspace("index:0", false);
  ASSERT_TRUE(a && b);
  host::WriteBatch batch;
  batch.put(*a, "k", "v");
  instances[0]->write(batch, false);
  std::string value;
  EXPECT_TRUE(instances[1]->get(*b, "k", &value));
  EXPECT_EQ(value, "v");
}

}  // namespace
}  // namespace jormun::storage
