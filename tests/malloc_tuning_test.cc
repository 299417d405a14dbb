// The server fixes glibc's mmap threshold at start (common/malloc_tuning.h).
#include "common/malloc_tuning.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>

namespace jormun {
namespace {

TEST(MallocTuning, AnOperatorsTunableWins) {
  EXPECT_TRUE(should_fix_mmap_threshold(nullptr));
  EXPECT_TRUE(should_fix_mmap_threshold(""));
  EXPECT_TRUE(should_fix_mmap_threshold("glibc.malloc.arena_max=2"));
  EXPECT_FALSE(should_fix_mmap_threshold("glibc.malloc.mmap_threshold=65536"));
  EXPECT_FALSE(should_fix_mmap_threshold("glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=1"));
}

// Not under AddressSanitizer, whose allocator replaces glibc's and ignores
// its settings: there is nothing of glibc's to observe.
#ifndef __SANITIZE_ADDRESS__
// glibc raises its threshold to the size of each mmapped block freed, so a
// block of that size allocated again comes from the heap, zeroed by calloc
// and resident for good (LMDB's 2 MiB dirty list at every environment
// open). Fixed, such a block is mapped again each time.
TEST(MallocTuning, BlocksPastTheFixedThresholdAreMappedEvenAfterOneWasFreed) {
  ASSERT_TRUE(fix_mmap_threshold());
  constexpr size_t kBlock = 3 << 20;
  // Through a volatile pointer: the compiler may drop an unused calloc.
  static void* volatile block;
  block = std::calloc(1, kBlock);
  std::free(block);
  const size_t mapped_before = mallinfo2().hblkhd;
  block = std::calloc(1, kBlock);
  const size_t mapped_after = mallinfo2().hblkhd;
  std::free(block);
  EXPECT_GE(mapped_after, mapped_before + kBlock);
}
#endif

}  // namespace
}  // namespace jormun
