// Item counts kept with the writes (storage/table_counts.h) on real RocksDB
// tables: after any mix of writes they equal what a full scan finds, they
// are saved as a table closes and answered without opening it, the saved
// copy goes before the next write, and a recount that races writes ends
// exact.
#include "storage/table_counts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <memory>
#include <string>
#include <thread>

#include "rocksdb_table_util.h"
#include "storage/table_dir.h"
#include "storage/write_set.h"
#include "table_test_peer.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;
using model::AttributeValue;
using model::Item;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

void expect_same(const Stats& got, const Stats& want) {
  EXPECT_EQ(got.item_count, want.item_count);
  EXPECT_EQ(got.size_bytes, want.size_bytes);
  ASSERT_EQ(got.indexes.size(), want.indexes.size());
  for (size_t i = 0; i < want.indexes.size(); ++i) {
    EXPECT_EQ(got.indexes[i].first, want.indexes[i].first);
    EXPECT_EQ(got.indexes[i].second.item_count, want.indexes[i].second.item_count)
        << want.indexes[i].first;
    EXPECT_EQ(got.indexes[i].second.size_bytes, want.indexes[i].second.size_bytes)
        << want.indexes[i].first;
  }
}

TEST(KeyspaceCountTest, ExactCountsAddEveryChange) {
  KeyspaceCount c(Counts{2, 10});
  EXPECT_TRUE(c.counts_at("anything"));
  c.add(1, 5);
  c.add(-1, -3);
  EXPECT_EQ(c.figures().item_count, 2u);
  EXPECT_EQ(c.figures().size_bytes, 12u);
}

TEST(KeyspaceCountTest, ARecountCountsChangesOnlyBehindIt) {
  auto c = KeyspaceCount::unknown(Counts{7, 70});
  EXPECT_FALSE(c->exact());
  EXPECT_EQ(c->figures().item_count, 7u);  // shown until the recount is done
  EXPECT_FALSE(c->resume_after());
  EXPECT_FALSE(c->counts_at("a"));  // nothing scanned yet: the scan will see it
  c->scanned(Counts{3, 30}, "m", false);
  EXPECT_TRUE(c->counts_at("a"));
  EXPECT_TRUE(c->counts_at("m"));
  EXPECT_FALSE(c->counts_at("z"));
  ASSERT_TRUE(c->resume_after());
  EXPECT_EQ(c->resume_after()->key, "m");
  EXPECT_FALSE(c->resume_after()->inclusive);
  c->add(1, 4);  // a write behind the position
  c->scanned(Counts{2, 20}, "z", true);
  ASSERT_TRUE(c->exact());
  EXPECT_EQ(c->exact()->item_count, 6u);
  EXPECT_EQ(c->exact()->size_bytes, 54u);
  EXPECT_TRUE(c->counts_at("zz"));
}

class TableCountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::fresh_test_dir("counts");
    library_ = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A lazily opened table over dir_, saving its counts there (`saved`) or
  // counting from zero (a cluster's front end).
  std::shared_ptr<Table> open(bool byg, bool saved = true) {
    return open(test::pk_schema("t", byg), saved);
  }
  std::shared_ptr<Table> open(TableSchema schema, bool saved) {
    auto open = [lib = library_, dir = dir_.string()] {
      return host::Instance::open(lib, dir, {});
    };
    return std::make_shared<Table>(std::move(schema), library_, open, nullptr,
                                   Table::FirstUse{}, saved ? dir_.string() : "");
  }

  static void put(Table& t, const std::string& pk, Item item, bool needs_old = false) {
    WriteSet set;
    Mutation m = test::put_mutation(std::move(item));
    m.needs_old = needs_old;
    set.stage(t, test::pk_key(pk), m);
    set.commit();
  }
  static void remove(Table& t, const std::string& pk) {
    WriteSet set;
    Mutation m;
    m.decide = [](const Item*) { return std::optional<Item>(); };
    set.stage(t, test::pk_key(pk), m);
    set.commit();
  }

  fs::path dir_;
  std::shared_ptr<host::Library> library_;
};

TEST_F(TableCountsTest, WritesKeepTheCountsOfAScan) {
  for (bool byg : {false, true}) {
    SCOPED_TRACE(byg);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    save_counts(dir_.string(), byg ? Stats{{}, {{"byg", {}}}} : Stats{});
    auto t = open(byg);
    put(*t, "a", {{"pk", S("a")}, {"g", S("x")}});
    put(*t, "b", {{"pk", S("b")}, {"v", S("no index key")}});
    put(*t, "a", {{"pk", S("a")}, {"g", S("a longer value than before")}});  // replaced
    put(*t, "b", {{"pk", S("b")}, {"g", S("y")}}, true);  // enters the index
    put(*t, "c", {{"pk", S("c")}, {"g", S("z")}});
    remove(*t, "c");
    remove(*t, "missing");  // changes nothing
    put(*t, "a", {{"pk", S("a")}});  // leaves the index
    expect_same(t->stats(), TableTestPeer::scan(*t));
    EXPECT_EQ(t->stats().item_count, 2u);
  }
}

TEST_F(TableCountsTest, SavedAsItClosesAnsweredUnopenedAndForgottenBeforeAWrite) {
  save_counts(dir_.string(), Stats{{}, {{"byg", {}}}});
  {
    auto t = open(true);
    for (int i = 0; i < 20; ++i) {
      const std::string pk = "k" + std::to_string(i);
      put(*t, pk, {{"pk", S(pk)}, {"g", S("g")}});
    }
    EXPECT_FALSE(has_marker(dir_.string(), kCountsMarker));  // the writes removed it
    ASSERT_TRUE(t->close_if_idle());
    EXPECT_TRUE(has_marker(dir_.string(), kCountsMarker));
  }
  auto t = open(true);
  EXPECT_FALSE(t->needs_recount());
  EXPECT_EQ(t->stats().item_count, 20u);
  EXPECT_EQ(t->stats().index("byg")->item_count, 20u);
  EXPECT_FALSE(t->is_open());
  remove(*t, "k0");
  EXPECT_FALSE(has_marker(dir_.string(), kCountsMarker));
  EXPECT_EQ(t->stats().item_count, 19u);
}

TEST_F(TableCountsTest, WithoutSavedCountsARecountRacingWritesEndsExact) {
  {
    save_counts(dir_.string(), Stats{{}, {{"byg", {}}}});
    auto t = open(true);
    for (int i = 0; i < 3000; ++i) {
      const std::string pk = "k" + std::to_string(i);
      put(*t, pk, {{"pk", S(pk)}, {"g", S(std::to_string(i % 7))}});
    }
    t.reset();
    fs::remove(dir_ / kCountsMarker);  // as if killed before it closed
  }
  auto t = open(true);
  EXPECT_TRUE(t->needs_recount());
  EXPECT_EQ(t->stats().item_count, 0u);  // nothing known yet
  std::jthread writer([&](std::stop_token stop) {
    for (int i = 0; !stop.stop_requested(); ++i) {
      const std::string pk = "k" + std::to_string((i * 7919) % 4000);
      if (i % 3 == 0)
        remove(*t, pk);
      else
        put(*t, pk, {{"pk", S(pk)}, {"g", S(std::string(i % 50, 'x'))}});
    }
  });
  EXPECT_TRUE(t->recount({}));
  writer.request_stop();
  writer.join();
  EXPECT_FALSE(t->needs_recount());
  expect_same(t->stats(), TableTestPeer::scan(*t));
}

TEST_F(TableCountsTest, WithoutAFolderCountsAreThisRunsWritesAndMayGoBelowZero) {
  {
    auto t = open(true, /*saved=*/false);
    put(*t, "a", {{"pk", S("a")}, {"g", S("x")}});
    put(*t, "b", {{"pk", S("b")}, {"g", S("y")}});
    EXPECT_EQ(t->stats().item_count, 2u);
    EXPECT_EQ(t->net_stats().table.items, 2);
  }
  EXPECT_FALSE(has_marker(dir_.string(), kCountsMarker));
  auto t = open(true, /*saved=*/false);
  EXPECT_FALSE(t->needs_recount());
  EXPECT_EQ(t->stats().item_count, 0u);
  remove(*t, "a");
  remove(*t, "b");
  const NetStats net = t->net_stats();
  EXPECT_EQ(net.table.items, -2);
  EXPECT_LT(net.table.bytes, 0);
  ASSERT_EQ(net.indexes.size(), 1u);
  EXPECT_EQ(net.indexes[0].second.items, -2);
  EXPECT_EQ(t->stats().item_count, 0u);  // clamped
}

TEST_F(TableCountsTest, WithoutAFolderAnIndexBackfilledElsewhereCountsFromItsActivation) {
  TableSchema creating = test::pk_schema("t", true);
  creating.indexes[0].state = IndexSchema::State::kCreating;
  auto t = open(creating, /*saved=*/false);
  put(*t, "a", {{"pk", S("a")}, {"g", S("x")}});
  EXPECT_TRUE(t->net_stats().indexes.empty());  // its backfill counts it
  TableSchema active = creating;
  active.indexes[0].state = IndexSchema::State::kActive;
  t->set_schema(active);
  put(*t, "b", {{"pk", S("b")}, {"g", S("y")}});
  const NetStats net = t->net_stats();
  EXPECT_EQ(net.table.items, 2);
  ASSERT_EQ(net.indexes.size(), 1u);
  EXPECT_EQ(net.indexes[0].second.items, 1);
}

TEST(SavedCountsTest, ABadFileIsNoFigures) {
  auto dir = test::fresh_test_dir("saved-counts");
  save_counts(dir.string(), Stats{{3, 30}, {{"one", {1, 10}}, {"two", {2, 20}}}});
  auto saved = read_saved_counts(dir.string());
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->size_bytes, 30u);
  EXPECT_EQ(saved->index("two")->item_count, 2u);
  write_marker(dir.string(), kCountsMarker, "jormun-counts 1\n3 x\n");
  EXPECT_FALSE(read_saved_counts(dir.string()));
  forget_saved_counts(dir.string());
  forget_saved_counts(dir.string());  // none: nothing to do
  EXPECT_FALSE(read_saved_counts(dir.string()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace jormun::storage
