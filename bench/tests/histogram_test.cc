#include "histogram.h"

#include <gtest/gtest.h>

namespace jormun::bench {
namespace {

TEST(Histogram, EmptyReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(0.99), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.percentile(0.5), 50u);
  EXPECT_EQ(h.percentile(0.99), 99u);
  EXPECT_EQ(h.percentile(1.0), 100u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, LargeValuesWithinOneSubBucket) {
  Histogram h;
  for (uint64_t v = 1; v <= 100000; ++v) h.record(v * 1000);
  for (double q : {0.5, 0.95, 0.99, 0.999}) {
    const double exact = q * 100000 * 1000;
    const double reported = static_cast<double>(h.percentile(q));
    EXPECT_GE(reported, exact * 0.999) << q;
    EXPECT_LE(reported, exact * (1 + 1.0 / Histogram::kSubBuckets)) << q;
  }
  EXPECT_EQ(h.percentile(1.0), h.max());
  EXPECT_EQ(h.max(), 100000u * 1000);
}

TEST(Histogram, PercentileNeverPassesMax) {
  Histogram h;
  h.record(1'000'001);
  EXPECT_EQ(h.percentile(0.5), 1'000'001u);
}

TEST(Histogram, HugeValuesDoNotOverflowTheBuckets) {
  Histogram h;
  h.record(UINT64_MAX);
  h.record(uint64_t{1} << 63);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.percentile(1.0), UINT64_MAX);
}

TEST(Histogram, MergeAddsCountsAndExtremes) {
  Histogram a, b;
  for (int i = 0; i < 90; ++i) a.record(10);
  for (int i = 0; i < 10; ++i) b.record(5000);
  a.merge(b);
  EXPECT_EQ(a.count(), 100u);
  EXPECT_EQ(a.percentile(0.9), 10u);
  EXPECT_GE(a.percentile(0.91), 4990u);
  EXPECT_EQ(a.max(), 5000u);
  EXPECT_EQ(a.min(), 10u);
}

}  // namespace
}  // namespace jormun::bench
