// options.h -- the engine's options from jormun.yaml, parsed and checked.
//
//   partitions       power of two, 1..256, default 16; fixed when the
//                    instance is created (persisted in the metadata file)
//   synchronous      off | normal | full, default normal (SQLite's PRAGMA
//                    synchronous for the partition files)
//   busy_timeout_ms  0..600000, default 5000: how long a connection waits
//                    for a lock held by another connection before BUSY
//   mmap_mb          0..65536, default 0 (off): how much of each partition
//                    file a connection reads through a memory map (PRAGMA
//                    mmap_size) instead of read calls. Off by default: a
//                    reader drops its whole map whenever the file changed,
//                    so under writes maps cost more than they save
//                    (bench/findings.md)
#ifndef JORMUN_ENGINES_SQLITE_OPTIONS_H
#define JORMUN_ENGINES_SQLITE_OPTIONS_H

#include <cstdint>
#include <jormun/plugin.hpp>
#include <optional>

namespace jormun::sqlite {

// Upper bound on `partitions`: every partition costs a writer connection
// (three file descriptors with its WAL and shared-memory files) plus readers,
// and one instance exists per table.
inline constexpr uint32_t kMaxPartitions = 256;
inline constexpr uint32_t kDefaultPartitions = 16;

struct EngineOptions {
  // Empty when the option was not given: a new instance then uses
  // kDefaultPartitions and an existing one keeps what it was created with.
  std::optional<uint32_t> partitions;
  int synchronous = 1;  // PRAGMA synchronous level: 0 off, 1 normal, 2 full
  int busy_timeout_ms = 5000;
  int64_t mmap_bytes = 0;
};

// Throws JORMUN_INVALID_ARGUMENT naming the key for an unknown key or a bad
// value.
EngineOptions parse_options(const plugin::Options& options);

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_OPTIONS_H
