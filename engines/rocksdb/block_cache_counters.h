// The statistics RocksDB keeps for one instance: its block cache hits and
// misses, the two tickers `stats` reports.
#ifndef JORMUN_ROCKSDB_BLOCK_CACHE_COUNTERS_H
#define JORMUN_ROCKSDB_BLOCK_CACHE_COUNTERS_H

#include <rocksdb/statistics.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace jormun::rocks {

// RocksDB's own Statistics (CreateDBStatistics) keeps every ticker and
// histogram once per core: some 70 KB per core, allocated and cleared at
// each open. An instance is opened at nearly every request once requests
// spread over more tables than the server keeps open, where that was a
// twentieth of a reopen's CPU, and on a machine of many cores it is
// megabytes per open table. This counts the two tickers the instance
// reports, in a few stripes so that threads on different cores seldom
// share a cache line, and drops the rest; no histograms. Thread-safe.
class BlockCacheCounters final : public rocksdb::Statistics {
 public:
  BlockCacheCounters();

  const char* Name() const override { return "JormunBlockCacheCounters"; }
  uint64_t getTickerCount(uint32_t ticker) const override;
  void recordTick(uint32_t ticker, uint64_t count) override;
  void setTickerCount(uint32_t ticker, uint64_t count) override;
  uint64_t getAndResetTickerCount(uint32_t ticker) override;
  void histogramData(uint32_t histogram, rocksdb::HistogramData* data) const override;
  void recordInHistogram(uint32_t histogram, uint64_t value) override;
  bool HistEnabledForType(uint32_t histogram) const override;

 private:
  static constexpr size_t kStripes = 8;
  struct alignas(64) Stripe {
    std::atomic<uint64_t> counts[2] = {0, 0};  // hits, misses
  };
  // The index of `ticker` in a stripe, or -1 for a ticker not kept.
  static int slot(uint32_t ticker);

  std::array<Stripe, kStripes> stripes_;
};

}  // namespace jormun::rocks

#endif
