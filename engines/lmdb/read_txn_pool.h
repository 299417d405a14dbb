// read_txn_pool.h -- reusable read transactions for one-call reads.
//
// Beginning a read transaction takes LMDB's reader-table lock to claim a
// slot; renewing a reset one (MDB_NOTLS keeps its slot) does not. Point reads
// and stats therefore borrow a reset transaction from here, renew it, and
// reset it on return. A reset transaction pins nothing and is not "active",
// so pooled transactions never stand in the way of growing the map.
// Thread-safe.
#ifndef JORMUN_LMDB_READ_TXN_POOL_H
#define JORMUN_LMDB_READ_TXN_POOL_H

#include <lmdb.h>

#include <mutex>
#include <vector>

namespace jormun::lmdb {

class ReadTxnPool {
 public:
  explicit ReadTxnPool(MDB_env* env) : env_(env) {}
  // REQUIRES: no lease is outstanding.
  ~ReadTxnPool();
  ReadTxnPool(const ReadTxnPool&) = delete;
  ReadTxnPool& operator=(const ReadTxnPool&) = delete;

  // A live read transaction for the length of one engine call.
  class Lease {
   public:
    explicit Lease(ReadTxnPool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    MDB_txn* get() const { return txn_; }

   private:
    ReadTxnPool& pool_;
    MDB_txn* txn_;
  };

 private:
  // Enough for the concurrent calls of a busy server; beyond it, returned
  // transactions are ended so idle ones do not hog reader slots.
  static constexpr size_t kMaxIdle = 64;

  MDB_env* env_;
  std::mutex mutex_;
  std::vector<MDB_txn*> idle_;  // all reset
};

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_READ_TXN_POOL_H
