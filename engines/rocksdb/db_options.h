// RocksDB's own options for an instance, derived from its Config.
#ifndef JORMUN_ROCKSDB_DB_OPTIONS_H
#define JORMUN_ROCKSDB_DB_OPTIONS_H

#include <rocksdb/cache.h>
#include <rocksdb/options.h>

#include <memory>

#include "config.h"
#include "memory_release.h"

namespace jormun::rocks {

struct DbOptions {
  rocksdb::DBOptions db;
  // For every keyspace of the instance; the copies share one table factory
  // and so one block cache.
  rocksdb::ColumnFamilyOptions column_family;
  // The block cache (shared with other instances of the same size), kept
  // for its usage statistic.
  std::shared_ptr<rocksdb::Cache> block_cache;
  // The process's releaser of free heap pages for release_memory_ms (shared
  // by every instance with that figure); null when it is 0.
  std::shared_ptr<MemoryReleaser> memory_releaser;
};

DbOptions make_db_options(const Config& config);

}  // namespace jormun::rocks

#endif
