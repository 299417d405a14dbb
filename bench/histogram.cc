#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace jormun::bench {

namespace {
// Exact buckets for [0, 2 * kSubBuckets), then kSubBuckets per power of two
// up to 2^64.
constexpr size_t kBucketCount =
    2 * Histogram::kSubBuckets +
    (64 - Histogram::kSubBucketBits - 1) * Histogram::kSubBuckets;
}  // namespace

Histogram::Histogram() : counts_(kBucketCount, 0) {}

size_t Histogram::bucket_of(uint64_t value) {
  if (value < 2 * kSubBuckets) return value;
  const unsigned shift = std::bit_width(value) - 1 - kSubBucketBits;
  return 2 * kSubBuckets + (shift - 1) * kSubBuckets + ((value >> shift) - kSubBuckets);
}

uint64_t Histogram::highest_in(size_t bucket) {
  if (bucket < 2 * kSubBuckets) return bucket;
  const size_t past_exact = bucket - 2 * kSubBuckets;
  const unsigned shift = static_cast<unsigned>(past_exact / kSubBuckets) + 1;
  const uint64_t mantissa = past_exact % kSubBuckets + kSubBuckets;
  return ((mantissa + 1) << shift) - 1;
}

void Histogram::record(uint64_t value) {
  ++counts_[bucket_of(value)];
  ++total_;
  sum_ += static_cast<double>(value);
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double Histogram::mean() const {
  return total_ ? sum_ / static_cast<double>(total_) : 0.0;
}

uint64_t Histogram::percentile(double q) const {
  if (total_ == 0) return 0;
  const auto wanted = std::max<uint64_t>(
      1, static_cast<uint64_t>(
             std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(total_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= wanted) return std::min(highest_in(i), max_);
  }
  return max_;
}

}  // namespace jormun::bench
