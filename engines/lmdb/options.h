// options.h -- the LMDB engine's options from jormun.yaml.
//
//   map_size_mb   initial size of the memory map in MiB (default 1024); the
//                 map grows by doubling when it fills, so this is a start
//                 value, not a limit.
//   sync          "true" (default): every commit is durable when it returns
//                 (LMDB flushes the data, then the meta page).
//                 "false": MDB_NOMETASYNC, one flush per commit instead of
//                 two; the meta page reaches the disk with the next commit
//                 (or at once for a JORMUN_WRITE_SYNC batch, or at close), so
//                 a machine crash may undo the last commit, never tear one.
//   max_keyspaces maximum number of keyspaces (LMDB named databases,
//                 default 64).
#ifndef JORMUN_LMDB_OPTIONS_H
#define JORMUN_LMDB_OPTIONS_H

#include <cstdint>
#include <jormun/plugin.hpp>

namespace jormun::lmdb {

struct Options {
  uint64_t map_size_bytes = uint64_t{1024} << 20;
  bool sync = true;
  uint32_t max_keyspaces = 64;
};

// Parses the host's key/value options. Throws plugin::Error
// (JORMUN_INVALID_ARGUMENT) naming the key for an unknown key or a bad value.
Options parse_options(const plugin::Options& raw);

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_OPTIONS_H
