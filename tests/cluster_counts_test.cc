// The stored form of a cluster's item counts (storage/cluster_counts.h):
// signed figures survive the round trip, a row that cannot be read counts
// as zero. The adding itself runs against PostgreSQL in
// conformance/test_cluster.py.
#include "storage/cluster_counts.h"

#include <gtest/gtest.h>

namespace jormun::storage {
namespace {

TEST(ClusterCountsTest, SignedFiguresSurviveTheRow) {
  NetStats net;
  net.table = {-3, 1200};
  net.indexes = {{"by_g", {7, -40}}, {"by.v-2", {0, 0}}};
  const std::string row = ClusterCounts::format(net);
  EXPECT_EQ(row, "-3 1200 by_g 7 -40 by.v-2 0 0");
  const NetStats back = ClusterCounts::parse(row);
  EXPECT_EQ(back.table.items, -3);
  EXPECT_EQ(back.table.bytes, 1200);
  ASSERT_EQ(back.indexes.size(), 2u);
  EXPECT_EQ(back.indexes[0].first, "by_g");
  EXPECT_EQ(back.indexes[0].second.items, 7);
  EXPECT_EQ(back.indexes[0].second.bytes, -40);
  EXPECT_EQ(back.indexes[1].first, "by.v-2");
}

TEST(ClusterCountsTest, AnUnreadableRowIsZero) {
  const NetStats none = ClusterCounts::parse("not figures");
  EXPECT_EQ(none.table.items, 0);
  EXPECT_TRUE(none.indexes.empty());
  EXPECT_EQ(ClusterCounts::key("0123abcd"), "n/0123abcd");
}

}  // namespace
}  // namespace jormun::storage
