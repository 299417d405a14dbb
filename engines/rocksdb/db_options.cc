#include "db_options.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_buffer_manager.h>

#include <map>
#include <memory>
#include <mutex>

#include "block_cache_counters.h"

namespace jormun::rocks {
namespace {

// One object per key for the whole process: every table opened with the same
// figures shares it, so the engine's memory is the configured figure, not
// that times the number of tables. An object lives as long as an instance
// uses it. Each call site (each `Make`) has a map of its own.
template <typename T, typename Key, typename Make>
std::shared_ptr<T> shared_per_key(const Key& key, Make make) {
  static std::mutex mu;
  static std::map<Key, std::weak_ptr<T>> made;
  std::lock_guard lock(mu);
  std::shared_ptr<T> object = made[key].lock();
  if (!object) {
    object = make();
    made[key] = object;
  }
  return object;
}

}  // namespace

DbOptions make_db_options(const Config& config) {
  constexpr uint64_t kMiB = 1 << 20;
  DbOptions out;
  out.db.create_if_missing = true;
  // One instance per table: without a cap every table directory collects
  // an old info log per open.
  out.db.keep_log_file_num = 4;
  // Concurrent writers (one per I/O thread) overlap the WAL append of one
  // group with the memtable inserts of the one before: measured about 12%
  // more PutItem throughput on two cores (docs/benchmarks.md).
  out.db.enable_pipelined_write = true;
  // One instance per table, and servers of thousands of tables: no WAL or
  // SST file is preallocated (a WAL would take ~write_buffer_mb of disk per
  // table before holding a byte) (issue 17).
  out.db.allow_fallocate = false;
  // Opened as read, not all at open (-1 would read every file's index and
  // filter at each reopen of a large table); a small table holds a few.
  out.db.max_open_files = static_cast<int>(config.max_open_files);
  out.db.max_file_opening_threads = 1;
  // Per instance, so the block cache hits and misses in `stats` are this
  // table's even where the cache is shared.
  out.db.statistics = std::make_shared<BlockCacheCounters>();

  rocksdb::BlockBasedTableOptions table;
  const uint64_t cache_bytes = config.block_cache_mb * kMiB;
  const uint64_t memtable_bytes = config.memtable_budget_mb * kMiB;
  out.block_cache = shared_per_key<rocksdb::Cache>(
      cache_bytes, [&] { return rocksdb::NewLRUCache(cache_bytes); });
  // Memtables are charged to the block cache (a growing memtable evicts
  // blocks), so block_cache_mb bounds the engine's memory; the memtable
  // budget is the share past which the largest memtable is flushed. Keyed by
  // the cache's address too: the manager holds its cache, so the address
  // cannot be reused while the entry lives.
  out.db.write_buffer_manager = shared_per_key<rocksdb::WriteBufferManager>(
      std::make_pair(memtable_bytes, out.block_cache.get()), [&] {
        return std::make_shared<rocksdb::WriteBufferManager>(memtable_bytes,
                                                             out.block_cache);
      });
  table.block_cache = out.block_cache;
  if (config.release_memory_ms > 0)
    out.memory_releaser = shared_per_key<MemoryReleaser>(config.release_memory_ms, [&] {
      return std::make_shared<MemoryReleaser>(config.release_memory_ms);
    });
  if (config.bloom_bits > 0)
    table.filter_policy.reset(
        rocksdb::NewBloomFilterPolicy(static_cast<double>(config.bloom_bits)));
  out.column_family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  out.column_family.compression = config.compression;
  out.column_family.write_buffer_size = config.write_buffer_mb * kMiB;
  // A memtable's arena grows in blocks of this size (default: up to 1 MiB
  // each, one per keyspace of every open table): small tables stay small.
  out.column_family.arena_block_size = 128 << 10;
  // A point read of a key the memtable lacks (most of them, once most data
  // is flushed) skips the skiplist walk, a chain of cache misses.
  out.column_family.memtable_prefix_bloom_size_ratio = 0.02;
  out.column_family.memtable_whole_key_filtering = true;
  // RocksDB's default from 8.4 on; keeps space amplification bounded as a
  // table grows.
  out.column_family.level_compaction_dynamic_level_bytes = true;
  return out;
}

}  // namespace jormun::rocks
