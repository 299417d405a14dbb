// glibc malloc settings the server fixes at start.
#pragma once

namespace jormun {

// Whether the server should fix the mmap threshold, given the process's
// GLIBC_TUNABLES (null when unset): not when the operator set one there.
bool should_fix_mmap_threshold(const char* glibc_tunables);

// Fixes glibc's mmap threshold at 1 MiB: larger blocks always come from
// mmap, as untouched zero pages, and go back to the system when freed.
// glibc's default threshold grows to the size of the largest mapped block
// freed, so that a 2 MiB block allocated and freed at every LMDB
// environment open (its dirty-page list) soon comes from the heap instead,
// zeroed and resident: at 2,500 LMDB tables, 767 MB against 49 MB after
// using each table once, at the same rate (docs/benchmarks.md). Unless the
// operator's GLIBC_TUNABLES sets a threshold. Answers whether it did.
bool fix_mmap_threshold();

}  // namespace jormun
