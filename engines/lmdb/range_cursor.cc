#include "range_cursor.h"

#include "key_store.h"
#include "lmdb_status.h"

namespace jormun::lmdb {

void RangeCursor::attach(MDB_txn* txn, MDB_dbi dbi) {
  check(::mdb_cursor_open(txn, dbi, &cursor_), "open cursor");
}

void RangeCursor::detach() {
  if (cursor_ != nullptr) ::mdb_cursor_close(cursor_);
  cursor_ = nullptr;
  pending_ = false;
}

void RangeCursor::take(int rc, const MDB_val& key, const MDB_val& value) {
  bucket_.clear();
  bucket_done_ = 0;
  exhausted_ = rc == MDB_NOTFOUND;
  if (!exhausted_) check(rc, "seek");
  pending_ = !exhausted_;
  pending_key_ = key;
  pending_value_ = value;
}

void RangeCursor::seek_start() {
  MDB_val k{}, v{};
  int rc = ::mdb_cursor_get(cursor_, &k, &v, reverse_ ? MDB_LAST : MDB_FIRST);
  take(rc, k, v);
}

void RangeCursor::seek(std::string_view target) {
  // LMDB has no empty key, so an empty target is where the keyspace starts.
  if (target.empty()) {
    MDB_val k{}, v{};
    take(::mdb_cursor_get(cursor_, &k, &v, MDB_FIRST), k, v);
    return;
  }
  // The first LMDB entry >= lmdb_key_of(target) is the only one beyond the
  // target in reverse that may still hold keys before it (a bucket holding
  // the target's prefix); in reverse, the walk starts there and steps back.
  MDB_val k = mdb_val(lmdb_key_of(target)), v{};
  int rc = ::mdb_cursor_get(cursor_, &k, &v, MDB_SET_RANGE);
  if (rc == MDB_NOTFOUND && reverse_)
    rc = ::mdb_cursor_get(cursor_, &k, &v, MDB_LAST);
  take(rc, k, v);
}

bool RangeCursor::next(std::string_view* key, std::string_view* value) {
  for (;;) {
    if (bucket_done_ < bucket_.size()) {
      size_t i = reverse_ ? bucket_.size() - 1 - bucket_done_ : bucket_done_;
      ++bucket_done_;
      key_ = bucket_key_;
      key_ += bucket_[i].rest;
      *key = key_;
      *value = bucket_[i].value;
      return true;
    }
    if (exhausted_) return false;
    MDB_val k{}, v{};
    if (pending_) {
      k = pending_key_;
      v = pending_value_;
      pending_ = false;
    } else {
      int rc = ::mdb_cursor_get(cursor_, &k, &v, reverse_ ? MDB_PREV : MDB_NEXT);
      if (rc == MDB_NOTFOUND) {
        exhausted_ = true;
        return false;
      }
      check(rc, "cursor step");
    }
    if (is_bucket_key(view(k))) {
      bucket_key_.assign(view(k));
      bucket_ = decode_bucket(view(v));
      bucket_done_ = 0;
      continue;
    }
    key_.assign(view(k));
    value_.assign(view(v));
    *key = key_;
    *value = value_;
    return true;
  }
}

}  // namespace jormun::lmdb
