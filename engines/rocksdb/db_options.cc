#include "db_options.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

namespace jormun::rocks {

DbOptions make_db_options(const Config& config) {
  constexpr uint64_t kMiB = 1 << 20;
  DbOptions out;
  out.db.create_if_missing = true;
  // One instance per table: without a cap every table directory collects
  // an old info log per open.
  out.db.keep_log_file_num = 4;

  rocksdb::BlockBasedTableOptions table;
  out.block_cache = rocksdb::NewLRUCache(config.block_cache_mb * kMiB);
  table.block_cache = out.block_cache;
  if (config.bloom_bits > 0)
    table.filter_policy.reset(
        rocksdb::NewBloomFilterPolicy(static_cast<double>(config.bloom_bits)));
  out.column_family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  out.column_family.compression = config.compression;
  out.column_family.write_buffer_size = config.write_buffer_mb * kMiB;
  // RocksDB's default from 8.4 on; keeps space amplification bounded as a
  // table grows.
  out.column_family.level_compaction_dynamic_level_bytes = true;
  return out;
}

}  // namespace jormun::rocks
