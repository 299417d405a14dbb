#include "iterator.h"

#include <mutex>
#include <shared_mutex>

#include "status.h"

namespace jormun::rocks {

RocksIterator::RocksIterator(rocksdb::DB* db, const RocksKeyspace* keyspace,
                             const RocksSnapshot* snapshot, const plugin::Range& range,
                             ReadOnlyPhase* phase)
    : keyspace_(keyspace), snapshot_(snapshot), reverse_(range.reverse), phase_(nullptr) {
  if (range.lower_kind != JORMUN_BOUND_NONE) {
    lower_ = range.lower;
    if (range.lower_kind == JORMUN_BOUND_EXCLUSIVE) lower_.push_back('\0');
    lower_slice_ = lower_;
    has_lower_ = true;
  }
  if (range.upper_kind != JORMUN_BOUND_NONE) {
    upper_ = range.upper;
    if (range.upper_kind == JORMUN_BOUND_INCLUSIVE) upper_.push_back('\0');
    upper_slice_ = upper_;
    has_upper_ = true;
  }
  // An empty range is settled here: RocksDB expects lower <= upper.
  if (has_lower_ && has_upper_ && lower_ >= upper_) {
    done_ = true;
    return;
  }
  it_.reset(db->NewIterator(read_options(snapshot ? snapshot->snapshot : nullptr),
                            keyspace->handle));
  if (phase != nullptr) {
    std::lock_guard lock(phase->mu);
    phase->iterators.insert(this);
    phase_.store(phase, std::memory_order_release);
  }
}

RocksIterator::~RocksIterator() {
  {
    // Still the read-only database's: that database may close as soon as the
    // iterator is out of the set, so it_ goes first, under the same lock.
    std::shared_lock lock = hold_while_read_only();
    if (ReadOnlyPhase* phase = phase_.load(std::memory_order_acquire)) {
      std::lock_guard guard(phase->mu);
      phase->iterators.erase(this);
    }
    it_.reset();
  }
  if (pinned_ != nullptr) pinned_db_->ReleaseSnapshot(pinned_);
}

std::shared_lock<std::shared_mutex> RocksIterator::hold_while_read_only() const {
  ReadOnlyPhase* phase = phase_.load(std::memory_order_acquire);
  return phase ? std::shared_lock(phase->instance_mutex)
               : std::shared_lock<std::shared_mutex>();
}

rocksdb::ReadOptions RocksIterator::read_options(
    const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  if (has_lower_) read.iterate_lower_bound = &lower_slice_;
  if (has_upper_) read.iterate_upper_bound = &upper_slice_;
  return read;
}

void RocksIterator::move_to(rocksdb::DB* db, std::shared_ptr<const Database> old) {
  retired_db_ = std::move(old);
  retired_ = std::move(it_);
  if (!done_) {
    const rocksdb::Snapshot* at = snapshot_ ? snapshot_->snapshot : nullptr;
    if (at == nullptr) {
      pinned_db_ = db;
      pinned_ = at = db->GetSnapshot();
    }
    it_.reset(db->NewIterator(read_options(at), keyspace_->handle));
    // Started and not done: positioned on the key given last, which the
    // writable database holds too.
    if (started_) {
      if (reverse_)
        it_->SeekForPrev(retired_->key());
      else
        it_->Seek(retired_->key());
    }
  }
  phase_.store(nullptr, std::memory_order_release);
}

void RocksIterator::seek_first() {
  if (reverse_)
    it_->SeekToLast();  // honours iterate_upper_bound
  else if (has_lower_)
    it_->Seek(lower_slice_);
  else
    it_->SeekToFirst();
}

bool RocksIterator::next(jormun_bytes* key, jormun_bytes* value) {
  std::shared_lock lock = hold_while_read_only();
  retired_.reset();
  retired_db_.reset();
  if (done_) {
    check(error_, "iterator");
    return false;
  }
  if (!started_) {
    seek_first();
    started_ = true;
  } else if (reverse_) {
    it_->Prev();
  } else {
    it_->Next();
  }
  if (!it_->Valid()) {
    done_ = true;
    error_ = it_->status();
    check(error_, "iterator");
    return false;
  }
  rocksdb::Slice k = it_->key();
  rocksdb::Slice v = it_->value();
  *key = {reinterpret_cast<const uint8_t*>(k.data()), k.size()};
  *value = {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
  return true;
}

}  // namespace jormun::rocks
