#include "insert_frontier.h"

#include <gtest/gtest.h>

namespace jormun::bench {
namespace {

TEST(InsertFrontier, LimitCoversOnlyTheAcknowledgedPrefix) {
  InsertFrontier frontier(100);
  EXPECT_EQ(frontier.limit(), 100u);
  const uint64_t a = frontier.claim(), b = frontier.claim(), c = frontier.claim();
  EXPECT_EQ(a, 100u);
  frontier.acknowledge(c);
  frontier.acknowledge(b);
  EXPECT_EQ(frontier.limit(), 100u);  // a is still in flight
  frontier.acknowledge(a);
  EXPECT_EQ(frontier.limit(), 103u);
}

}  // namespace
}  // namespace jormun::bench
