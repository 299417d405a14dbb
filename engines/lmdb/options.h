// options.h -- the LMDB engine's options from jormun.yaml.
//
//   map_size_mb   initial size of the memory map in MiB (default 1024); the
//                 map grows by doubling when it fills, so this is a start
//                 value, not a limit.
//   sync          "false" (default): MDB_NOMETASYNC, one flush per commit
//                 (the data pages); the meta page reaches the disk with the
//                 next commit (or at once for a synced write, or at close),
//                 so a machine crash may undo the last commit, never tear
//                 one. The host asks for durability per write.
//                 "true": every commit is durable when it returns (LMDB
//                 flushes the data, then the meta page), asked or not.
//   max_keyspaces maximum number of keyspaces (LMDB named databases,
//                 default 64).
#ifndef JORMUN_LMDB_OPTIONS_H
#define JORMUN_LMDB_OPTIONS_H

#include <cstdint>
#include <jormun/plugin.hpp>

namespace jormun::lmdb {

struct Options {
  uint64_t map_size_bytes = uint64_t{1024} << 20;
  bool sync = false;
  uint32_t max_keyspaces = 64;
};

// Parses the host's key/value options. Throws plugin::Error
// (JORMUN_INVALID_ARGUMENT) naming the key for an unknown key or a bad value.
Options parse_options(const plugin::Options& raw);

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_OPTIONS_H
