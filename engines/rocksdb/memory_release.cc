#include "memory_release.h"

#include <chrono>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace jormun::rocks {

void release_free_memory() {
#if defined(__GLIBC__)
  // Under an LD_PRELOADed malloc (jemalloc) this is glibc's own, and finds
  // its heap empty: harmless.
  malloc_trim(0);
#endif
}

MemoryReleaser::MemoryReleaser(uint64_t interval_ms)
    : interval_ms_(interval_ms), thread_([this] { run(); }) {}

MemoryReleaser::~MemoryReleaser() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
}

void MemoryReleaser::run() {
  std::unique_lock lock(mu_);
  while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_),
                            [this] { return stop_; }))
    release_free_memory();
}

}  // namespace jormun::rocks
