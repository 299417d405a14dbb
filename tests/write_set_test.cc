// storage::WriteSet on real RocksDB tables: a stage writes nothing until
// commit, an item and its index entries land in one batch, a refused stage
// leaves nothing written, and locks follow the global order.
#include "storage/write_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "model/item_codec.h"
#include "model/key_codec.h"
#include "rocksdb_table_util.h"
#include "table_test_peer.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;
using model::Item;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

class WriteSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::fresh_test_dir("write-set");
    a_ = open("a");
    b_ = open("b");
    log_ = std::make_unique<TransactionLog>(
        dir_.string(), [](const std::set<std::string>&) {}, [](uint64_t, const std::set<std::string>&) {});
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A table keyed by pk (S) with a GSI "byg" on g (S).
  std::unique_ptr<Table> open(const std::string& name) {
    return test::open_rocksdb_table(test::pk_schema(name, true), dir_ / name);
  }

  static std::string key(const std::string& pk) { return test::pk_key(pk); }
  static Mutation put(Item item) { return test::put_mutation(std::move(item)); }
  static size_t index_entries(Table& t) { return test::byg_entries(t); }

  // Two item keys, the first on the lower stripe.
  static std::pair<std::string, std::string> ascending_keys() {
    std::string lo = key("k0"), hi = key("k1");
    if (LockManager::stripe(lo) > LockManager::stripe(hi)) std::swap(lo, hi);
    return {lo, hi};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Table> a_, b_;
  std::unique_ptr<TransactionLog> log_;  // for sets over both tables
};

TEST_F(WriteSetTest, NothingIsWrittenBeforeCommit) {
  WriteSet set;
  set.stage(*a_, key("p"), put({{"pk", S("p")}, {"g", S("x")}}));
  EXPECT_FALSE(a_->get(key("p")));
  EXPECT_EQ(index_entries(*a_), 0u);
  set.commit();
  EXPECT_TRUE(a_->get(key("p")));
  EXPECT_EQ(index_entries(*a_), 1u);
}

TEST_F(WriteSetTest, IndexEntriesFollowTheItemInTheSameCommit) {
  {
    WriteSet set;
    set.stage(*a_, key("p"), put({{"pk", S("p")}, {"g", S("x")}}));
    set.commit();
  }
  WriteSet set;
  Staged s = set.stage(*a_, key("p"), put({{"pk", S("p")}, {"g", S("y")}}));
  // The table has an index, so the stage read the stored item for it.
  ASSERT_TRUE(s.old_item);
  EXPECT_EQ(s.old_item->at("g"), S("x"));
  set.commit();
  EXPECT_EQ(index_entries(*a_), 1u);  // the entry moved, none left behind
  WriteSet del;
  Mutation remove;
  remove.decide = [](const Item*) { return std::optional<Item>(); };
  del.stage(*a_, key("p"), remove);
  del.commit();
  EXPECT_FALSE(a_->get(key("p")));
  EXPECT_EQ(index_entries(*a_), 0u);
}

TEST_F(WriteSetTest, RefusedStageLeavesNothingWrittenAndReleasesLocks) {
  auto [k1, k2] = ascending_keys();
  {
    WriteSet set;
    set.stage(*a_, k1, put({{"pk", S("one")}, {"g", S("x")}}));
    Mutation refuse;
    refuse.needs_old = true;
    refuse.decide = [](const Item* old) -> std::optional<Item> {
      EXPECT_EQ(old, nullptr);
      throw std::runtime_error("condition failed");
    };
    EXPECT_THROW(set.stage(*a_, k2, refuse), std::runtime_error);
  }
  EXPECT_FALSE(a_->get(k1));
  EXPECT_FALSE(a_->get(k2));
  EXPECT_EQ(index_entries(*a_), 0u);
  // The locks went with the set: the same keys stage again at once.
  WriteSet again;
  again.stage(*a_, k1, put({{"pk", S("one")}}));
  again.stage(*a_, k2, put({{"pk", S("two")}}));
  again.commit();
  EXPECT_TRUE(a_->get(k1));
}

TEST_F(WriteSetTest, StagesOutOfLockOrderAreRefused) {
  auto [lo, hi] = ascending_keys();
  ASSERT_NE(LockManager::stripe(lo), LockManager::stripe(hi));
  {
    WriteSet set;
    set.stage(*a_, hi, put({{"pk", S("hi")}}));
    EXPECT_THROW(set.stage(*a_, lo, put({{"pk", S("lo")}})), std::logic_error);
  }
  {
    WriteSet set;
    set.stage(*b_, lo, put({{"pk", S("lo")}}));
    EXPECT_THROW(set.stage(*a_, lo, put({{"pk", S("lo")}})), std::logic_error);
  }
  EXPECT_FALSE(a_->get(lo));
  EXPECT_FALSE(a_->get(hi));
  EXPECT_FALSE(b_->get(lo));
}

TEST_F(WriteSetTest, KeysSharingAStripeAreLockedOnce) {
  const std::string first = key("s0");
  std::string second;
  for (int i = 1; second.empty(); ++i)
    if (LockManager::stripe(key("s" + std::to_string(i))) == LockManager::stripe(first))
      second = key("s" + std::to_string(i));
  WriteSet set;
  set.stage(*a_, first, put({{"pk", S("s0")}}));
  set.stage(*a_, second, put({{"pk", S("other")}}));  // would self-deadlock if relocked
  set.commit();
  EXPECT_TRUE(a_->get(first));
  EXPECT_TRUE(a_->get(second));
}

// One commit per table, across tables, in lock order.
TEST_F(WriteSetTest, SeveralTablesCommitTogether) {
  WriteSet set(log_.get());
  set.stage(*a_, key("p"), put({{"pk", S("p")}, {"g", S("x")}}));
  set.stage(*b_, key("p"), put({{"pk", S("p")}, {"g", S("x")}}));
  EXPECT_FALSE(a_->get(key("p")));
  set.commit();
  EXPECT_TRUE(a_->get(key("p")));
  EXPECT_TRUE(b_->get(key("p")));
  EXPECT_EQ(index_entries(*b_), 1u);
}

// Sets that stage the same items in the global order from many threads
// neither deadlock nor lose a read-modify-write.
TEST_F(WriteSetTest, ConcurrentSetsInLockOrderAreExact) {
  auto [k1, k2] = ascending_keys();
  constexpr int kThreads = 4, kRounds = 100;
  auto bump = [](const Item* old) {
    int n = old ? std::stoi(old->at("n").as<std::string>()) : 0;
    return std::optional<Item>(
        Item{{"pk", old ? old->at("pk") : S("x")}, {"n", S(std::to_string(n + 1))}});
  };
  Mutation m;
  m.needs_old = true;
  m.decide = bump;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; ++i) {
        WriteSet set(log_.get());
        set.stage(*a_, k1, m);
        set.stage(*a_, k2, m);
        set.stage(*b_, k1, m);
        set.commit();
      }
    });
  for (auto& t : threads) t.join();
  const std::string total = std::to_string(kThreads * kRounds);
  EXPECT_EQ(a_->get(k1)->at("n"), S(total));
  EXPECT_EQ(a_->get(k2)->at("n"), S(total));
  EXPECT_EQ(b_->get(k1)->at("n"), S(total));
}

TEST_F(WriteSetTest, IndexEntryStagesOnlyWhileTheIndexIsCreating) {
  // An item stored as if before the index existed: no entry yet.
  host::WriteBatch raw;
  raw.put(TableTestPeer::items(*a_), key("p"),
          model::encode_item({{"pk", S("p")}, {"g", S("x")}}));
  TableTestPeer::write(*a_, raw);
  ASSERT_EQ(index_entries(*a_), 0u);
  {
    WriteSet active;  // holds the schema gate set_schema waits for
    EXPECT_FALSE(active.stage_index_entry(*a_, key("p"), "byg"));  // ACTIVE
  }
  TableSchema creating = a_->schema();
  creating.indexes[0].state = IndexSchema::State::kCreating;
  a_->set_schema(creating);
  WriteSet set;
  EXPECT_TRUE(set.stage_index_entry(*a_, key("p"), "byg"));
  EXPECT_TRUE(set.stage_index_entry(*a_, key("p"), "byg"));  // same key: stripe held once
  set.commit();
  EXPECT_EQ(index_entries(*a_), 1u);
}

}  // namespace
}  // namespace jormun::storage
