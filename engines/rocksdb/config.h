// The RocksDB engine's options, parsed from the string pairs of jormun.yaml.
// (Durability is not an option: a write is synced when the host asks, which
// it does for tables on engines declared `durable`.)
//
//   block_cache_mb: N        the engine's memory budget, 1..1048576
//                            (default 512): an LRU block cache that the
//                            memtables are charged to, shared by every
//                            table of the process opened with the same size
//   compression: none|snappy|lz4|zstd|zlib   SST block compression (default
//                            lz4); refused when this RocksDB build lacks it
//   bloom_bits: N            bloom filter bits per key, 0 (off)..32
//                            (default 10, about 1% false positives, which
//                            saves a disk read on most point reads of absent
//                            keys: conditional puts, GetItem misses)
//   write_buffer_mb: N       memtable size per keyspace, 1..4096 (default 64,
//                            RocksDB's own); lower it for many small tables
//   memtable_budget_mb: N    the share of block_cache_mb the memtables of
//                            all tables sharing the cache may take before
//                            the largest is flushed, 1..block_cache_mb
//                            (default half of block_cache_mb); more than
//                            block_cache_mb is refused
//   release_memory_ms: N     how often the free heap pages the allocator
//                            keeps are returned to the system, 0 (never,
//                            the default)..3600000; one thread per process
//                            for each figure in use. Off by default: it
//                            lowered the peak but cost large items about a
//                            third of their throughput (docs/benchmarks.md)
//   max_open_files: N        SST files each table keeps open, 20..1048576
//                            (default 1024; at RocksDB's 64 MB per file a
//                            table of up to ~64 GB stays open). A table of
//                            more files reopens one on most reads (a fifth
//                            of the read rate where 64 files held ten
//                            million items). Small tables hold a few files
//                            whatever the figure; server.max_open_files
//                            should leave room for the largest tables
#ifndef JORMUN_ROCKSDB_CONFIG_H
#define JORMUN_ROCKSDB_CONFIG_H

#include <rocksdb/compression_type.h>

#include <cstdint>
#include <jormun/plugin.hpp>

namespace jormun::rocks {

struct Config {
  uint64_t block_cache_mb = 512;
  rocksdb::CompressionType compression = rocksdb::kLZ4Compression;
  uint64_t bloom_bits = 10;
  uint64_t write_buffer_mb = 64;
  uint64_t memtable_budget_mb = 256;  // half of block_cache_mb unless given
  uint64_t release_memory_ms = 0;
  uint64_t max_open_files = 1024;
};

// Throws plugin::Error(JORMUN_INVALID_ARGUMENT) naming the key for an
// unknown or repeated key or a bad value.
Config parse_config(const plugin::Options& options);

}  // namespace jormun::rocks

#endif
