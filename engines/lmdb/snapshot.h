// snapshot.h -- a pinned read view: one LMDB read transaction kept open from
// snapshot_acquire until the last user lets go.
//
// The host's snapshot handle and every iterator reading through it share the
// transaction, so releasing the handle before an iterator over it is
// harmless. LMDB forbids two threads from using one transaction at once, and
// the ABI lets any thread read through a snapshot, so every use locks
// `mutex` (after taking the map gate shared: that order, always).
#ifndef JORMUN_LMDB_SNAPSHOT_H
#define JORMUN_LMDB_SNAPSHOT_H

#include <jormun/plugin.hpp>
#include <lmdb.h>

#include <atomic>
#include <memory>
#include <mutex>

namespace jormun::lmdb {

class SnapshotTxn {
 public:
  // Takes ownership of the read transaction `txn`; `live` counts the
  // instance's open snapshot transactions (growth must not remap under them).
  SnapshotTxn(MDB_txn* txn, std::atomic<int>& live) : txn_(txn), live_(live) {
    ++live_;
  }
  // REQUIRES: the map gate is held shared by the calling thread.
  ~SnapshotTxn() {
    ::mdb_txn_abort(txn_);
    --live_;
  }
  SnapshotTxn(const SnapshotTxn&) = delete;
  SnapshotTxn& operator=(const SnapshotTxn&) = delete;

  MDB_txn* txn() const { return txn_; }
  std::mutex& mutex() { return mutex_; }

 private:
  MDB_txn* txn_;
  std::atomic<int>& live_;
  std::mutex mutex_;
};

// The handle the host holds.
class LmdbSnapshot final : public plugin::Snapshot {
 public:
  LmdbSnapshot(const void* owner, std::shared_ptr<SnapshotTxn> txn)
      : owner(owner), txn(std::move(txn)) {}
  const void* const owner;  // the instance it belongs to
  const std::shared_ptr<SnapshotTxn> txn;
};

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_SNAPSHOT_H
