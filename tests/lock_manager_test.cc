// storage::LockManager from many threads: what a guard holds is exclusive,
// for one key and for sets of keys whose stripes are taken in ascending
// order, each once, as storage::WriteSet takes them (no deadlock, no lost
// update). `make tsan-test` runs this under ThreadSanitizer, which also sees
// a missing lock that happens not to lose an update here.
#include "storage/lock_manager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace jormun::storage {
namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 3000;
constexpr int kKeys = 16;

// Far enough that no holder here waits that long.
LockManager::Deadline far() {
  return std::chrono::system_clock::now() + std::chrono::hours(1);
}

TEST(LockManager, ConcurrentSingleAndMultiKeyHoldersNeverOverlap) {
  LockManager locks;
  std::array<std::string, kKeys> keys;
  for (int k = 0; k < kKeys; ++k) keys[k] = "key" + std::to_string(k);
  // Guarded by the stripe of keys[k] only: plain ints, so a broken guard
  // loses increments (and is a data race TSan reports).
  std::array<int, kKeys> counts{};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (int round = 0; round < kRounds; ++round) {
        const int a = rng() % kKeys, b = rng() % kKeys, c = rng() % kKeys;
        if (round % 2 == 0) {
          auto guard = locks.lock_stripe(LockManager::stripe(keys[a]), far());
          ASSERT_TRUE(guard);
          ++counts[a];
        } else {
          // Drawn in any order, repeats included; taken in stripe order.
          std::vector<size_t> stripes;
          for (int k : {c, a, b, a}) stripes.push_back(LockManager::stripe(keys[k]));
          std::sort(stripes.begin(), stripes.end());
          stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
          std::vector<LockManager::Guard> guards;
          for (size_t s : stripes) guards.push_back(*locks.lock_stripe(s, far()));
          ++counts[a];
          if (b != a) ++counts[b];
          if (c != a && c != b) ++counts[c];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  // The same draws again, counted without threads.
  std::array<int, kKeys> expected{};
  for (int t = 0; t < kThreads; ++t) {
    std::mt19937 rng(t);
    for (int round = 0; round < kRounds; ++round) {
      const int a = rng() % kKeys, b = rng() % kKeys, c = rng() % kKeys;
      ++expected[a];
      if (round % 2 == 1) {
        if (b != a) ++expected[b];
        if (c != a && c != b) ++expected[c];
      }
    }
  }
  EXPECT_EQ(counts, expected);
}

// A wait past its deadline gives up instead of blocking; the stripe is had
// again once its holder lets go.
TEST(LockManager, WaitsEndAtTheDeadline) {
  LockManager locks;
  auto held = locks.lock_stripe(3, far());
  ASSERT_TRUE(held);
  bool waited = true;
  std::thread other([&] {
    waited = locks
                 .lock_stripe(3, std::chrono::system_clock::now() +
                                     std::chrono::milliseconds(20))
                 .has_value();
  });
  other.join();
  EXPECT_FALSE(waited);
  held.reset();
  EXPECT_TRUE(locks.lock_stripe(3, std::chrono::system_clock::now()));
}

// A server holds thousands of tables, most idle in a run: their stripes
// (4,096 mutexes, 160 KB) must not be paid for until a write takes one.
TEST(LockManager, CostsLittleUntilItsFirstLock) {
  EXPECT_LT(sizeof(LockManager), 256u);
  LockManager m;
  auto guard = m.lock_stripe(LockManager::kStripes - 1,
                             std::chrono::system_clock::now() + std::chrono::seconds(1));
  EXPECT_TRUE(guard.has_value());
  EXPECT_FALSE(m.lock_stripe(LockManager::kStripes - 1, std::chrono::system_clock::now()));
}

}  // namespace
}  // namespace jormun::storage
