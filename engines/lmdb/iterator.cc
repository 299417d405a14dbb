#include "iterator.h"

#include <shared_mutex>

#include "lmdb_status.h"

namespace jormun::lmdb {

void IteratorRegistry::add(LmdbIterator* it) {
  std::lock_guard lock(mutex_);
  live_.insert(it);
}

void IteratorRegistry::remove(LmdbIterator* it) {
  std::lock_guard lock(mutex_);
  live_.erase(it);
}

void IteratorRegistry::suspend_all() {
  std::lock_guard lock(mutex_);
  for (LmdbIterator* it : live_) it->suspend();
}

LmdbIterator::LmdbIterator(MDB_env* env, MapGate& gate,
                           IteratorRegistry& registry, MDB_dbi dbi,
                           const plugin::Range& range,
                           std::shared_ptr<SnapshotTxn> snapshot)
    : gate_(gate),
      registry_(registry),
      dbi_(dbi),
      reverse_(range.reverse),
      start_kind_(range.reverse ? range.upper_kind : range.lower_kind),
      end_kind_(range.reverse ? range.lower_kind : range.upper_kind),
      start_(range.reverse ? range.upper : range.lower),
      end_(range.reverse ? range.lower : range.upper),
      snapshot_(std::move(snapshot)),
      cursor_(range.reverse) {
  if (snapshot_) {
    // A keyspace created after the snapshot has no handle in its
    // transaction; at that snapshot it did not exist, so it reads as empty.
    std::lock_guard lock(snapshot_->mutex());
    unsigned int flags = 0;
    finished_ = ::mdb_dbi_flags(snapshot_->txn(), dbi_, &flags) != 0;
    return;
  }
  check(::mdb_txn_begin(env, nullptr, MDB_RDONLY, &own_txn_), "begin read");
  registry_.add(this);
}

LmdbIterator::~LmdbIterator() {
  std::shared_lock gate(gate_);
  if (snapshot_) {
    {
      std::lock_guard lock(snapshot_->mutex());
      cursor_.detach();
    }
    snapshot_.reset();  // may end the snapshot's transaction
    return;
  }
  registry_.remove(this);
  cursor_.detach();
  ::mdb_txn_abort(own_txn_);
}

bool LmdbIterator::before_start(std::string_view key) const {
  if (start_kind_ == JORMUN_BOUND_NONE) return false;
  int c = key.compare(start_);
  if (reverse_) c = -c;
  return start_kind_ == JORMUN_BOUND_INCLUSIVE ? c < 0 : c <= 0;
}

bool LmdbIterator::past_end(std::string_view key) const {
  if (end_kind_ == JORMUN_BOUND_NONE) return false;
  int c = key.compare(end_);
  if (reverse_) c = -c;
  return end_kind_ == JORMUN_BOUND_INCLUSIVE ? c > 0 : c >= 0;
}

bool LmdbIterator::next(jormun_bytes* key, jormun_bytes* value) {
  if (finished_) return false;
  std::shared_lock gate(gate_);
  std::unique_lock<std::mutex> snapshot_lock;
  if (snapshot_) snapshot_lock = std::unique_lock(snapshot_->mutex());
  std::string_view k, v;
  if (!step(&k, &v)) {
    finish();
    return false;
  }
  last_key_ = k;
  *key = {reinterpret_cast<const uint8_t*>(k.data()), k.size()};
  *value = {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
  return true;
}

bool LmdbIterator::step(std::string_view* key, std::string_view* value) {
  if (!cursor_.attached()) {
    if (txn_reset_) {
      check(::mdb_txn_renew(own_txn_), "renew read");
      txn_reset_ = false;
    }
    cursor_.attach(txn(), dbi_);
    if (start_kind_ == JORMUN_BOUND_NONE) {
      cursor_.seek_start();
    } else {
      cursor_.seek(start_);
    }
  }
  while (cursor_.next(key, value)) {
    if (before_start(*key)) continue;
    return !past_end(*key);
  }
  return false;
}

void LmdbIterator::finish() {
  finished_ = true;
  cursor_.detach();
  if (own_txn_ != nullptr && !txn_reset_) {
    ::mdb_txn_reset(own_txn_);
    txn_reset_ = true;
  }
}

void LmdbIterator::suspend() {
  if (txn_reset_) return;
  if (!last_key_.empty()) {
    start_.assign(last_key_);
    start_kind_ = JORMUN_BOUND_EXCLUSIVE;
  }
  cursor_.detach();
  ::mdb_txn_reset(own_txn_);
  txn_reset_ = true;
}

}  // namespace jormun::lmdb
