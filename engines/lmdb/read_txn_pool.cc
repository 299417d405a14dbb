#include "read_txn_pool.h"

#include "lmdb_status.h"

namespace jormun::lmdb {

ReadTxnPool::~ReadTxnPool() {
  for (MDB_txn* txn : idle_) ::mdb_txn_abort(txn);
}

ReadTxnPool::Lease::Lease(ReadTxnPool& pool) : pool_(pool), txn_(nullptr) {
  {
    std::lock_guard lock(pool.mutex_);
    if (!pool.idle_.empty()) {
      txn_ = pool.idle_.back();
      pool.idle_.pop_back();
    }
  }
  if (txn_ == nullptr) {
    check(::mdb_txn_begin(pool.env_, nullptr, MDB_RDONLY, &txn_), "begin read");
    return;
  }
  if (int rc = ::mdb_txn_renew(txn_); rc != 0) {
    ::mdb_txn_abort(txn_);
    fail(rc, "renew read");
  }
}

ReadTxnPool::Lease::~Lease() {
  ::mdb_txn_reset(txn_);
  {
    std::lock_guard lock(pool_.mutex_);
    if (pool_.idle_.size() < kMaxIdle) {
      pool_.idle_.push_back(txn_);
      return;
    }
  }
  ::mdb_txn_abort(txn_);
}

}  // namespace jormun::lmdb
