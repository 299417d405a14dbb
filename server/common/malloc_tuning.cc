#include "common/malloc_tuning.h"

#include <malloc.h>

#include <cstdlib>
#include <string_view>

namespace jormun {

bool should_fix_mmap_threshold(const char* glibc_tunables) {
  return glibc_tunables == nullptr ||
         std::string_view(glibc_tunables).find("glibc.malloc.mmap_threshold") ==
             std::string_view::npos;
}

bool fix_mmap_threshold() {
  if (!should_fix_mmap_threshold(std::getenv("GLIBC_TUNABLES"))) return false;
  return mallopt(M_MMAP_THRESHOLD, 1 << 20) == 1;
}

}  // namespace jormun
