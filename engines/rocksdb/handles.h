// The RocksDB engine's keyspace and snapshot handles.
#ifndef JORMUN_ROCKSDB_HANDLES_H
#define JORMUN_ROCKSDB_HANDLES_H

#include <rocksdb/db.h>

#include <jormun/plugin.hpp>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>

namespace jormun::rocks {

// A keyspace is a column family. The instance owns this object, its
// database the column family handle; `handle` changes (under the instance's
// mutex, held exclusively) when the database is reopened writable.
struct RocksKeyspace final : plugin::Keyspace {
  RocksKeyspace(std::string name, rocksdb::ColumnFamilyHandle* handle)
      : name(std::move(name)), handle(handle) {}
  const std::string name;
  rocksdb::ColumnFamilyHandle* handle;
};

// A RocksDB snapshot, tagged with the instance that took it so that a
// snapshot of another instance is refused instead of misread. `snapshot`
// changes as a keyspace's handle does.
struct RocksSnapshot final : plugin::Snapshot {
  RocksSnapshot(const void* owner, const rocksdb::Snapshot* snapshot)
      : owner(owner), snapshot(snapshot) {}
  const void* const owner;
  const rocksdb::Snapshot* snapshot;
};

class RocksIterator;

// What callers hold of an instance whose database is open read-only
// (database.h): when the instance reopens it writable, at its first change,
// it moves each of these to the writable database, which holds the same
// data since nothing was written in between. Calls on them hold
// `instance_mutex` shared; the move holds it exclusively.
struct ReadOnlyPhase {
  explicit ReadOnlyPhase(std::shared_mutex& instance_mutex)
      : instance_mutex(instance_mutex) {}
  std::shared_mutex& instance_mutex;
  std::mutex mu;  // guards the sets, changed under instance_mutex held shared
  std::set<RocksSnapshot*> snapshots;
  std::set<RocksIterator*> iterators;
};

}  // namespace jormun::rocks

#endif
