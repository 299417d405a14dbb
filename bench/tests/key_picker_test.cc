#include "key_picker.h"

#include <gtest/gtest.h>

#include <map>

namespace jormun::bench {
namespace {

constexpr int kDraws = 100000;

std::map<uint64_t, int> histogram_of(const KeyPicker& picker, uint64_t frontier) {
  std::mt19937_64 rng(7);
  std::map<uint64_t, int> seen;
  for (int i = 0; i < kDraws; ++i) ++seen[picker.pick(rng, frontier)];
  return seen;
}

int most_frequent(const std::map<uint64_t, int>& seen) {
  int top = 0;
  for (const auto& [key, n] : seen) top = std::max(top, n);
  return top;
}

TEST(KeyPicker, UniformCoversTheKeySpaceEvenly) {
  const auto seen = histogram_of(KeyPicker(Distribution::uniform, 100), 100);
  ASSERT_EQ(seen.size(), 100u);
  EXPECT_EQ(seen.rbegin()->first, 99u);
  EXPECT_LT(most_frequent(seen), 2 * kDraws / 100);
}

TEST(KeyPicker, ZipfianIsSkewedAndInRange) {
  const auto seen = histogram_of(KeyPicker(Distribution::zipfian, 1000), 1000);
  EXPECT_LT(seen.rbegin()->first, 1000u);
  // With theta 0.99 the most popular of 1000 keys draws about 13 %.
  EXPECT_GT(most_frequent(seen), kDraws / 10);
}

TEST(KeyPicker, SameSeedSameKeys) {
  const KeyPicker picker(Distribution::zipfian, 1000);
  std::mt19937_64 a(3), b(3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(picker.pick(a, 1000), picker.pick(b, 1000));
}

TEST(KeyPicker, LatestFavoursTheNewestKeys) {
  const auto seen = histogram_of(KeyPicker(Distribution::latest, 1000), 5000);
  EXPECT_LT(seen.rbegin()->first, 5000u);
  EXPECT_GE(seen.begin()->first, 4000u);
  EXPECT_GT(seen.at(4999), kDraws / 10);
}

TEST(KeyPicker, ParsesDistributionNames) {
  Distribution d{};
  EXPECT_TRUE(parse_distribution("latest", d));
  EXPECT_EQ(d, Distribution::latest);
  EXPECT_FALSE(parse_distribution("gaussian", d));
}

}  // namespace
}  // namespace jormun::bench
