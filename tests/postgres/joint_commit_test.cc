// A write set over two tables without a transaction log, as a cluster's
// front ends make one (ops/transact_write.cc): on the postgres engine it
// commits as one joint write (Table::commit_joint, ABI 1.4), exact across
// two "front ends" (two Table objects per table over the same instance,
// two lock managers); on an engine without joint writes it is NotJoinable
// and writes nothing.
//
// The postgres tests need a PostgreSQL: ctest runs them under
// scripts/postgres.sh run, which exports JORMUN_PG_CONNINFO; without it
// they skip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <jormun/engine.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "model/key_codec.h"
#include "storage/table.h"
#include "storage/write_set.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;
using model::Item;

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("jormun-joint-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::unique_ptr<Table> open_table(const std::shared_ptr<host::Library>& library,
                                  const std::string& name, const std::filesystem::path& dir) {
  TableSchema schema;
  schema.name = name;
  schema.partition_key = {"pk", model::Type::S};
  schema.attribute_definitions = {schema.partition_key};
  return std::make_unique<Table>(std::move(schema),
                                 host::Instance::open(library, dir.string(), {}));
}

const std::string& counter_key() {
  static const std::string key = model::base_key(AttributeValue("counter"), nullptr);
  return key;
}

// n of the counter item; 0 when absent.
long counter(Table& table) {
  auto item = table.get(counter_key());
  return item ? std::stol(item->at("n").as<std::string>()) : 0;
}

// Adds `by` to the counter item of the table it stages.
Mutation add(long by) {
  Mutation m;
  m.needs_old = true;
  m.decide = [by](const Item* old) {
    const long n = old ? std::stol(old->at("n").as<std::string>()) : 0;
    return std::optional<Item>(
        Item{{"pk", AttributeValue("counter")}, {"n", AttributeValue(std::to_string(n + by))}});
  };
  return m;
}

// Moves one unit from `from`'s counter to `to`'s in one set without a log.
// REQUIRES: `from` precedes `to` in the lock order.
void move_one(Table& from, Table& to) {
  retry_conflicts([&] {
    WriteSet set;
    set.stage(from, counter_key(), add(-1));
    set.stage(to, counter_key(), add(+1));
    set.commit();
  });
}

TEST(JointCommit, MovesBetweenTwoTablesFromTwoFrontEndsAreExact) {
  if (std::getenv("JORMUN_PG_CONNINFO") == nullptr)
    GTEST_SKIP() << "no PostgreSQL (run under scripts/postgres.sh run)";
  auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_postgres.so");
  ASSERT_TRUE(library->has(JORMUN_CAP_JOINT_WRITES));
  const auto dx = fresh_dir("x"), dy = fresh_dir("y");
  // Front end f's tables: the first open makes each instance id file, the
  // second reads it and so reaches the same rows.
  std::unique_ptr<Table> x[2], y[2];
  for (int f = 0; f < 2; ++f) {
    x[f] = open_table(library, "jx", dx);
    y[f] = open_table(library, "jy", dy);
  }
  constexpr int kThreads = 4, kMoves = 50;
  std::atomic<int> given_up = 0;
  std::vector<std::string> errors(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        try {
          for (int i = 0; i < kMoves; ++i)
            for (;;) {
              try {
                move_one(*x[t % 2], *y[t % 2]);
                break;
              } catch (const WriteConflict&) {
                ++given_up;  // as a client retrying TransactionConflict
              }
            }
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
  }
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(counter(*x[0]), -kThreads * kMoves) << given_up.load() << " gave up";
  EXPECT_EQ(counter(*y[1]), kThreads * kMoves) << given_up.load() << " gave up";
  for (auto* t : {&x[0], &x[1], &y[0], &y[1]}) t->reset();
  std::filesystem::remove_all(dx);
  std::filesystem::remove_all(dy);
}

TEST(JointCommit, TwoTablesWithoutJointWritesOrLogAreNotJoinable) {
  auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so");
  ASSERT_FALSE(library->has(JORMUN_CAP_JOINT_WRITES));
  const auto dx = fresh_dir("x"), dy = fresh_dir("y");
  auto x = open_table(library, "jx", dx);
  auto y = open_table(library, "jy", dy);
  {
    WriteSet set;
    set.stage(*x, counter_key(), add(-1));
    set.stage(*y, counter_key(), add(+1));
    EXPECT_THROW(set.commit(), NotJoinable);
  }
  EXPECT_FALSE(x->get(counter_key()));
  EXPECT_FALSE(y->get(counter_key()));
  // One table alone needs no joint write.
  WriteSet one;
  one.stage(*x, counter_key(), add(+1));
  one.commit();
  EXPECT_EQ(counter(*x), 1);
  x.reset();
  y.reset();
  std::filesystem::remove_all(dx);
  std::filesystem::remove_all(dy);
}

}  // namespace
}  // namespace jormun::storage
