// Gives the heap pages the allocator keeps after RocksDB frees memory back
// to the system, so that the engine's resident memory follows its budget.
//
// Block cache evictions free small blocks all over the heap and a flushed
// memtable frees its arena at once; glibc's malloc keeps such free memory
// resident (it returns only the top of a heap), and it cannot reuse holes
// between cached blocks for the next memtable's larger arena blocks. On the
// standard benchmark set that retained free memory was the largest part of
// the resident memory past block_cache_mb (docs/benchmarks.md, issue 17).
#ifndef JORMUN_ROCKSDB_MEMORY_RELEASE_H
#define JORMUN_ROCKSDB_MEMORY_RELEASE_H

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace jormun::rocks {

// Returns the whole free pages the allocator holds to the system
// (glibc's malloc_trim(0)); does nothing under another allocator.
void release_free_memory();

// A thread that calls release_free_memory every `interval_ms` while it
// lives; the destructor stops and joins it.
class MemoryReleaser {
 public:
  explicit MemoryReleaser(uint64_t interval_ms);
  ~MemoryReleaser();
  MemoryReleaser(const MemoryReleaser&) = delete;
  MemoryReleaser& operator=(const MemoryReleaser&) = delete;

  uint64_t interval_ms() const { return interval_ms_; }

 private:
  void run();

  const uint64_t interval_ms_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace jormun::rocks

#endif
