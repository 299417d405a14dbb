// A range cursor over one column family.
#ifndef JORMUN_ROCKSDB_ITERATOR_H
#define JORMUN_ROCKSDB_ITERATOR_H

#include <rocksdb/db.h>

#include <atomic>
#include <jormun/plugin.hpp>
#include <memory>
#include <shared_mutex>
#include <string>

#include "database.h"
#include "handles.h"

namespace jormun::rocks {

// Every jormun bound maps onto RocksDB's inclusive lower and exclusive upper
// bounds: for byte strings, key > k exactly when key >= k + "\0", and
// key <= k exactly when key < k + "\0". RocksDB then enforces the bounds in
// both directions itself. Without a snapshot, RocksDB pins the state at
// creation, as JORMUN_CAP_SNAPSHOTS asks.
class RocksIterator final : public plugin::Iterator {
 public:
  // `snapshot` may be null. `phase`: the instance's, while its database is
  // read-only (else null); the iterator registers there until moved.
  // REQUIRES: `db`, `keyspace` and `snapshot` outlive this; the instance's
  // mutex held shared when `phase` is given.
  RocksIterator(rocksdb::DB* db, const RocksKeyspace* keyspace,
                const RocksSnapshot* snapshot, const plugin::Range& range,
                ReadOnlyPhase* phase);
  ~RocksIterator() override;

  bool next(jormun_bytes* key, jormun_bytes* value) override;

  // Goes on in `db`, the writable reopening of `old` (the same data), from
  // where it stands, reading the state it read (the snapshot it was given,
  // already moved, or one it now takes itself). REQUIRES: the instance's
  // mutex held exclusively; `keyspace->handle` already `db`'s.
  void move_to(rocksdb::DB* db, std::shared_ptr<const Database> old);

 private:
  rocksdb::ReadOptions read_options(const rocksdb::Snapshot* snapshot) const;
  // The instance's mutex held shared while the iterator is the read-only
  // database's (until move_to); an empty lock after.
  std::shared_lock<std::shared_mutex> hold_while_read_only() const;
  void seek_first();

  const RocksKeyspace* const keyspace_;
  const RocksSnapshot* const snapshot_;
  // RocksDB keeps pointers to these bounds for the iterator's life.
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  bool has_lower_ = false;
  bool has_upper_ = false;
  bool reverse_ = false;
  bool started_ = false;
  bool done_ = false;
  // The failure that ended the iteration; reported again on later calls.
  rocksdb::Status error_;
  std::atomic<ReadOnlyPhase*> phase_;
  // Since a move without a given snapshot: the state of creation, pinned.
  rocksdb::DB* pinned_db_ = nullptr;
  const rocksdb::Snapshot* pinned_ = nullptr;
  // After a move, the read-only database's iterator until the next call:
  // the last key and value given point into it.
  std::shared_ptr<const Database> retired_db_;
  std::unique_ptr<rocksdb::Iterator> retired_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace jormun::rocks

#endif
