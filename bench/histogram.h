// Latency histogram for the load generator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jormun::bench {

// Counts values (nanoseconds here) in log-linear buckets, the HdrHistogram
// idea: values below 2 * kSubBuckets are kept exactly; above that every power
// of two is cut into kSubBuckets equal slices, so a reported percentile is
// within 1 / kSubBuckets (under 0.8 %) of the true value while the whole
// 64-bit range needs only a few thousand counters and recording is a couple
// of shifts.
//
// Not thread-safe: each load-generator thread owns one and they are merged
// once the run is over.
class Histogram {
 public:
  static constexpr unsigned kSubBucketBits = 7;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;

  Histogram();

  void record(uint64_t value);
  // Adds every count of `other` to this one.
  void merge(const Histogram& other);

  uint64_t count() const { return total_; }
  // 0 when empty.
  uint64_t min() const { return total_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const;
  // The smallest value v such that a fraction `q` (0..1) of the recorded
  // values are <= v, to bucket precision and never above max(). 0 when empty.
  uint64_t percentile(double q) const;

 private:
  static size_t bucket_of(uint64_t value);
  // The largest value that falls into `bucket`.
  static uint64_t highest_in(size_t bucket);

  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  // Kept as a double: a long run's sum of nanoseconds can pass 2^64.
  double sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace jormun::bench
