// The RocksDB engine's keyspace and snapshot handles.
#ifndef JORMUN_ROCKSDB_HANDLES_H
#define JORMUN_ROCKSDB_HANDLES_H

#include <rocksdb/db.h>

#include <jormun/plugin.hpp>
#include <string>
#include <utility>

namespace jormun::rocks {

// A keyspace is a column family. The instance owns both this object and the
// column family handle, and destroys them together.
struct RocksKeyspace final : plugin::Keyspace {
  RocksKeyspace(std::string name, rocksdb::ColumnFamilyHandle* handle)
      : name(std::move(name)), handle(handle) {}
  const std::string name;
  rocksdb::ColumnFamilyHandle* const handle;
};

// A RocksDB snapshot, tagged with the instance that took it so that a
// snapshot of another instance is refused instead of misread.
struct RocksSnapshot final : plugin::Snapshot {
  RocksSnapshot(const void* owner, const rocksdb::Snapshot* snapshot)
      : owner(owner), snapshot(snapshot) {}
  const void* const owner;
  const rocksdb::Snapshot* const snapshot;
};

}  // namespace jormun::rocks

#endif
