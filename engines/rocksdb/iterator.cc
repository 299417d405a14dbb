#include "iterator.h"

#include "status.h"

namespace jormun::rocks {

RocksIterator::RocksIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* column_family,
                             const rocksdb::Snapshot* snapshot,
                             const plugin::Range& range)
    : reverse_(range.reverse) {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  if (range.lower_kind != JORMUN_BOUND_NONE) {
    lower_ = range.lower;
    if (range.lower_kind == JORMUN_BOUND_EXCLUSIVE) lower_.push_back('\0');
    lower_slice_ = lower_;
    read.iterate_lower_bound = &lower_slice_;
    has_lower_ = true;
  }
  if (range.upper_kind != JORMUN_BOUND_NONE) {
    upper_ = range.upper;
    if (range.upper_kind == JORMUN_BOUND_INCLUSIVE) upper_.push_back('\0');
    upper_slice_ = upper_;
    read.iterate_upper_bound = &upper_slice_;
    has_upper_ = true;
  }
  // An empty range is settled here: RocksDB expects lower <= upper.
  if (has_lower_ && has_upper_ && lower_ >= upper_) {
    done_ = true;
    return;
  }
  it_.reset(db->NewIterator(read, column_family));
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
