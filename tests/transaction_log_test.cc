// storage::TransactionLog and the commit of a write set over several tables:
// what the log keeps across a restart (every intent not abandoned, nothing of
// a torn tail), how recovery finishes a transaction a crash interrupted
// without writing a table twice, sealing and retiring, and bounded lock
// waits. Real
// RocksDB tables; the crash is made by writing the intent and stopping there,
// which is all a SIGKILL between step 1 and step 2 leaves.
#include "storage/transaction_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "model/item_codec.h"
#include "rocksdb_table_util.h"
#include "storage/write_set.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;
using model::Item;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

class TransactionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::fresh_test_dir("txn-log");
    a_ = open("a");
    b_ = open("b");
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Table> open(const std::string& name) {
    TableSchema s = test::pk_schema(name, false);
    s.id = "id-" + name;
    return test::open_rocksdb_table(std::move(s), dir_ / name);
  }

  TransactionLog log(uint64_t rotate_bytes = TransactionLog::kRotateBytes) {
    return TransactionLog(
        dir_.string(),
        [this](const std::set<std::string>& tables) {
          // What a sealed file needs is synced before the file goes.
          EXPECT_TRUE(std::filesystem::exists(dir_ / "transactions.log.1"));
          synced_ = tables;
        },
        [this](uint64_t up_to, const std::set<std::string>&) {
          EXPECT_FALSE(std::filesystem::exists(dir_ / "transactions.log.1"));
          swept_ = up_to;
        },
        rotate_bytes);
  }

  static std::string key(const std::string& pk) { return test::pk_key(pk); }
  static Mutation put(Item item) { return test::put_mutation(std::move(item)); }

  // A part putting item pk=`pk` (with n=`n`) into `table`.
  static TransactionLog::Part part(const Table& table, const std::string& pk,
                                   const std::string& n) {
    TransactionLog::Part p;
    p.table = table.schema().name;
    p.table_id = table.schema().id;
    p.ops.push_back({true, "items", key(pk), model::encode_item({{"pk", S(pk)}, {"n", S(n)}})});
    return p;
  }

  static size_t markers(Table& t) {
    size_t n = 0;
    t.for_each_record(TransactionLog::kMarkerKind,
                      [&](std::string_view, std::string_view, std::string_view) { ++n; });
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Table> a_, b_;
  uint64_t swept_ = 0;
  std::set<std::string> synced_;
};

// A done transaction's shares may be unsynced (on engines with
// JORMUN_CAP_SYNC), so its intent is kept for recovery like an open one.
TEST_F(TransactionLogTest, KeepsEveryIntentUntilReset) {
  uint64_t finished, open_one;
  {
    TransactionLog l = log();
    finished = l.begin({part(*a_, "x", "1")});
    l.end(finished);
    open_one = l.begin({part(*a_, "y", "2"), part(*b_, "y", "2")});
  }
  TransactionLog again = log();
  auto intents = again.intents();
  ASSERT_EQ(intents.size(), 2u);
  EXPECT_EQ(intents[0].id, finished);
  EXPECT_EQ(intents[1].id, open_one);
  ASSERT_EQ(intents[1].parts.size(), 2u);
  EXPECT_EQ(intents[1].parts[1].table, "b");
  EXPECT_EQ(intents[1].parts[1].table_id, "id-b");
  EXPECT_EQ(intents[1].parts[1].ops[0].key, key("y"));
  again.reset();
  EXPECT_TRUE(log().intents().empty());
}

// A crash while an intent was being appended leaves a torn record: its sync
// never returned, so no batch of it was written, and it is no intent.
TEST_F(TransactionLogTest, ATornTailIsNotAnIntent) {
  uint64_t whole;
  {
    TransactionLog l = log();
    whole = l.begin({part(*a_, "x", "1")});
    l.begin({part(*a_, "y", "2")});
  }
  const auto path = dir_ / "transactions.log";
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  auto intents = log().intents();
  ASSERT_EQ(intents.size(), 1u);
  EXPECT_EQ(intents[0].id, whole);
}

// Recovery writes a part whose marker is absent, once: a part already
// written (its marker there) is not written again over later writes.
TEST_F(TransactionLogTest, RecoveryWritesEachPartOnce) {
  uint64_t id;
  {
    TransactionLog l = log();
    id = l.begin({part(*a_, "x", "1"), part(*b_, "x", "1")});
  }
  // As if the crash came after a's batch: a has the item and the marker,
  // and a later write changed the item.
  a_->finish_part(part(*a_, "x", "1"), id);
  {
    WriteSet later;
    later.stage(*a_, key("x"), put({{"pk", S("x")}, {"n", S("later")}}));
    later.commit();
  }
  std::vector<bool> wrote;
  for (const auto& intent : log().intents())
    for (const auto& p : intent.parts)
      wrote.push_back((p.table == "a" ? *a_ : *b_).finish_part(p, intent.id));
  EXPECT_EQ(wrote, (std::vector<bool>{false, true}));
  EXPECT_EQ(a_->get(key("x"))->at("n"), S("later"));
  EXPECT_EQ(b_->get(key("x"))->at("n"), S("1"));
  EXPECT_EQ(markers(*a_), 1u);
  EXPECT_EQ(markers(*b_), 1u);
  a_->sweep_markers(id, true);
  b_->sweep_markers(id, true);
  EXPECT_EQ(markers(*a_), 0u);
  EXPECT_EQ(markers(*b_), 0u);
}

TEST_F(TransactionLogTest, ASetOverTwoTablesCommitsThroughTheLog) {
  TransactionLog l = log();
  {
    WriteSet set(&l);
    set.stage(*a_, key("p"), put({{"pk", S("p")}}));
    set.stage(*b_, key("p"), put({{"pk", S("p")}}));
    set.commit();
  }
  EXPECT_TRUE(a_->get(key("p")));
  EXPECT_TRUE(b_->get(key("p")));
  EXPECT_EQ(markers(*a_), 1u);  // until the log is retired
  // Without a log, on an engine without joint writes, such a set cannot
  // be atomic, and says so.
  WriteSet bare;
  bare.stage(*a_, key("q"), put({{"pk", S("q")}}));
  bare.stage(*b_, key("q"), put({{"pk", S("q")}}));
  EXPECT_THROW(bare.commit(), NotJoinable);
  EXPECT_FALSE(a_->get(key("q")));
}

// Past its size, the log is sealed when a transaction ends, even while
// another is in flight; retiring it waits until each of its transactions has
// ended, then syncs the tables they wrote, deletes it and sweeps their
// markers. Transactions go on in a new file meanwhile.
TEST_F(TransactionLogTest, IsSealedWhenLargeAndRetiredOnceItsTransactionsEnd) {
  TransactionLog l = log(1);
  const uint64_t first = l.begin({part(*a_, "x", "1")});
  const uint64_t second = l.begin({part(*b_, "x", "1")});
  l.end(first);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "transactions.log.1"));
  EXPECT_EQ(std::filesystem::file_size(dir_ / "transactions.log"), 0u);
  const uint64_t third = l.begin({part(*a_, "z", "1")});
  l.retire_sealed();
  EXPECT_EQ(swept_, 0u);  // `second` is in flight
  EXPECT_TRUE(std::filesystem::exists(dir_ / "transactions.log.1"));
  // A stop now recovers the sealed file's intents and the new file's.
  EXPECT_EQ(log().intents().size(), 3u);
  l.end(second);  // one sealed file at a time: no second seal
  EXPECT_EQ(swept_, 0u);  // not before the write set's locks are gone
  l.retire_sealed();
  EXPECT_EQ(synced_, (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(swept_, second);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "transactions.log.1"));
  auto left = log().intents();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, third);
  l.end(third);
}

// Under concurrent transactions the log is sealed and retired again and
// again; what a stop would then recover is only what came after the last
// retired file.
TEST_F(TransactionLogTest, SealsAndRetiresUnderConcurrentTransactions) {
  TransactionLog l = log(4096);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        l.end(l.begin({part(*a_, "t" + std::to_string(t), std::to_string(i))}));
        l.retire_sealed();
      }
    });
  for (auto& thread : threads) thread.join();
  l.retire_sealed();
  EXPECT_GT(swept_, 0u);
  for (const auto& intent : log().intents()) EXPECT_GT(intent.id, swept_);
}

TEST_F(TransactionLogTest, ALockHeldPastTheWaitIsATimeout) {
  WriteSet holder;
  holder.stage(*a_, key("p"), put({{"pk", S("p")}}));
  std::thread other([&] {
    WriteSet waiter(nullptr, std::chrono::milliseconds(20));
    EXPECT_THROW(waiter.stage(*a_, key("p"), put({{"pk", S("p")}})), LockTimeout);
    // The set stays usable for items after it in the lock order.
    waiter.stage(*b_, key("p"), put({{"pk", S("p")}}));
    waiter.commit();
  });
  other.join();
  EXPECT_TRUE(b_->get(key("p")));
  holder.commit();
  EXPECT_TRUE(a_->get(key("p")));
}

}  // namespace
}  // namespace jormun::storage
