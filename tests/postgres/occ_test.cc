// The host's optimistic concurrency (WriteSet preconditions, retry_conflicts)
// over the PostgreSQL engine: two storage::Table objects open the same
// instance directory, so they share the database's rows but not a lock
// manager, as two jormundb front ends over one database would. Only the
// engine-checked preconditions keep their read-modify-writes exact.
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

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

class PostgresOccTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("JORMUN_PG_CONNINFO") == nullptr)
      GTEST_SKIP() << "no PostgreSQL (run under scripts/postgres.sh run)";
    dir_ = std::filesystem::temp_directory_path() /
           ("jormun-pg-occ-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_postgres.so");
    ASSERT_TRUE(library->has(JORMUN_CAP_PRECONDITIONS));
    // The first open makes the instance id file; the second reads it and
    // so reaches the same rows.
    for (auto* t : {&a_, &b_}) {
      TableSchema schema;
      schema.name = "occ";
      schema.partition_key = {"pk", model::Type::S};
      schema.attribute_definitions = {schema.partition_key};
      *t = std::make_unique<Table>(std::move(schema),
                                   host::Instance::open(library, dir_.string(), {}));
    }
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs `threads` threads, thread t writing through table a_ when t is
  // even and b_ when odd, each calling body(table, t) `rounds` times. What a
  // thread throws fails the test after the join.
  template <typename Body>
  void race(int threads, int rounds, Body&& body) {
    std::vector<std::string> errors(threads);
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t)
      running.emplace_back([&, t] {
        try {
          Table& table = t % 2 == 0 ? *a_ : *b_;
          for (int i = 0; i < rounds; ++i) body(table, t);
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
    for (auto& t : running) t.join();
    for (const auto& e : errors) EXPECT_EQ(e, "");
  }

  std::filesystem::path dir_;
  std::unique_ptr<Table> a_, b_;
};

// An UpdateItem ADD n :1, as ops stages it; false when the write conflicted
// retry_conflicts' whole budget (the client sees TransactionConflictException
// and may try again).
bool add_one(Table& table, const std::string& key) {
  Mutation m;
  m.needs_old = true;
  m.decide = [](const Item* old) {
    const int n = old ? std::stoi(old->at("n").as<std::string>()) : 0;
    return std::optional<Item>(Item{{"pk", S("counter")}, {"n", S(std::to_string(n + 1))}});
  };
  try {
    retry_conflicts([&] {
      WriteSet set;
      set.stage(table, key, m);
      set.commit();
    });
    return true;
  } catch (const WriteConflict&) {
    return false;
  }
}

TEST_F(PostgresOccTest, AddsFromTwoTablesAreExact) {
  const std::string key = model::base_key(AttributeValue("counter"), nullptr);
  constexpr int kThreads = 4, kRounds = 200;
  std::atomic<int> acknowledged = 0, given_up = 0;
  race(kThreads, kRounds, [&](Table& table, int) {
    // A client retrying a TransactionConflictException until it goes through.
    while (!add_one(table, key)) ++given_up;
    ++acknowledged;
  });
  ASSERT_EQ(acknowledged.load(), kThreads * kRounds);
  EXPECT_EQ(a_->get(key)->at("n"), S(std::to_string(kThreads * kRounds)))
      << given_up.load() << " attempts gave up";
  EXPECT_EQ(b_->get(key)->at("n"), a_->get(key)->at("n"));
}

// attribute_not_exists(pk) puts of one item from both tables: exactly one
// creates it, every other one sees it there. The threads meet at a barrier
// before each item, so all of them read it absent at about the same time,
// and each waits a little between its read and its commit, so that without
// the engine's check several creates of the same item would go through.
TEST_F(PostgresOccTest, ConditionalCreatesFromTwoTablesSucceedOnce) {
  constexpr int kThreads = 4, kItems = 100;
  std::atomic<int> created = 0, refused = 0;
  std::barrier start(kThreads);
  struct Exists : std::exception {};
  race(kThreads, kItems, [&, next = std::vector<int>(kThreads)](Table& table, int t) mutable {
    const std::string pk = "item" + std::to_string(next[t]++);
    const std::string key = model::base_key(AttributeValue(pk), nullptr);
    Mutation m;
    m.needs_old = true;
    m.decide = [&](const Item* old) -> std::optional<Item> {
      if (old) throw Exists();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      return Item{{"pk", S(pk)}, {"by", S(std::to_string(t))}};
    };
    start.arrive_and_wait();
    for (;;) {
      try {
        retry_conflicts([&] {
          WriteSet set;
          set.stage(table, key, m);
          set.commit();
        });
        ++created;
        return;
      } catch (const Exists&) {
        ++refused;
        return;
      } catch (const WriteConflict&) {
        // Gave up after its retries: the client tries again.
      } catch (const std::exception& e) {
        // Not thrown on: the other threads would wait at the barrier for ever.
        ADD_FAILURE() << e.what();
        return;
      }
    }
  });
  EXPECT_EQ(created.load(), kItems);
  EXPECT_EQ(refused.load(), (kThreads - 1) * kItems);
}

}  // namespace
}  // namespace jormun::storage
