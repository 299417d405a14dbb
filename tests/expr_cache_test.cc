#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "expr/expression_cache.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

TEST(ExpressionCache, ReturnsTheSameParseForTheSameKindAndText) {
  ExpressionCache cache(8);
  auto a = cache.condition("a = :v", ExpressionKind::kCondition);
  auto b = cache.condition("a = :v", ExpressionKind::kCondition);
  EXPECT_EQ(a.get(), b.get());
  auto filter = cache.condition("a = :v", ExpressionKind::kFilter);
  EXPECT_NE(a.get(), filter.get());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ExpressionCache, EvictsTheLeastRecentlyUsed) {
  ExpressionCache cache(2);
  auto a = cache.projection("a");
  cache.projection("b");
  cache.projection("a");  // a is now the most recent
  cache.projection("c");  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.projection("a").get(), a.get());
  auto b1 = cache.projection("b");
  EXPECT_EQ(cache.projection("b").get(), b1.get());
}

TEST(ExpressionCache, ErrorsAreThrownAndNotCached) {
  ExpressionCache cache(4);
  EXPECT_NE(test_util::error_of([&] { cache.update("SET"); }), "");
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ExpressionCache, ConcurrentUse) {
  ExpressionCache cache(16);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 200; ++i) {
        auto u = cache.update("SET a" + std::to_string((i + t) % 32) + " = :v");
        ASSERT_EQ(u->set.size(), 1u);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 16u);
}

}  // namespace
}  // namespace jormun::expr
