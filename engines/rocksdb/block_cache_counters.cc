#include "block_cache_counters.h"

namespace jormun::rocks {
namespace {

// This thread's stripe: threads take them in turn as they first count.
size_t stripe_of_this_thread(size_t stripes) {
  static std::atomic<size_t> next{0};
  thread_local const size_t mine = next.fetch_add(1, std::memory_order_relaxed);
  return mine % stripes;
}

}  // namespace

BlockCacheCounters::BlockCacheCounters() {
  set_stats_level(rocksdb::StatsLevel::kExceptHistogramOrTimers);
}

int BlockCacheCounters::slot(uint32_t ticker) {
  if (ticker == rocksdb::BLOCK_CACHE_HIT) return 0;
  if (ticker == rocksdb::BLOCK_CACHE_MISS) return 1;
  return -1;
}

uint64_t BlockCacheCounters::getTickerCount(uint32_t ticker) const {
  const int i = slot(ticker);
  if (i < 0) return 0;
  uint64_t sum = 0;
  for (const Stripe& s : stripes_) sum += s.counts[i].load(std::memory_order_relaxed);
  return sum;
}

void BlockCacheCounters::recordTick(uint32_t ticker, uint64_t count) {
  const int i = slot(ticker);
  if (i >= 0)
    stripes_[stripe_of_this_thread(kStripes)].counts[i].fetch_add(
        count, std::memory_order_relaxed);
}

void BlockCacheCounters::setTickerCount(uint32_t ticker, uint64_t count) {
  const int i = slot(ticker);
  if (i < 0) return;
  for (Stripe& s : stripes_) s.counts[i].store(0, std::memory_order_relaxed);
  stripes_[0].counts[i].store(count, std::memory_order_relaxed);
}

uint64_t BlockCacheCounters::getAndResetTickerCount(uint32_t ticker) {
  const int i = slot(ticker);
  if (i < 0) return 0;
  uint64_t sum = 0;
  for (Stripe& s : stripes_) sum += s.counts[i].exchange(0, std::memory_order_relaxed);
  return sum;
}

void BlockCacheCounters::histogramData(uint32_t, rocksdb::HistogramData* data) const {
  *data = rocksdb::HistogramData();
}

void BlockCacheCounters::recordInHistogram(uint32_t, uint64_t) {}

bool BlockCacheCounters::HistEnabledForType(uint32_t) const { return false; }

}  // namespace jormun::rocks
