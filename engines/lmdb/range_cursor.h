// range_cursor.h -- walks user entries of one keyspace in key order, forward
// or reverse, expanding long-key buckets (long_keys.h) on the way.
//
// Keys and values handed out are copies owned by the cursor, not pointers
// into the map: the map may be remapped by growth between two engine calls,
// and the host keeps using the last entry until its next call. They stay
// valid until the next call of next() or seek*(), or destruction; detach()
// and attach() leave them alone.
//
// Not thread-safe; the owning iterator serialises calls.
#ifndef JORMUN_LMDB_RANGE_CURSOR_H
#define JORMUN_LMDB_RANGE_CURSOR_H

#include <lmdb.h>

#include <string>
#include <string_view>

#include "long_keys.h"

namespace jormun::lmdb {

class RangeCursor {
 public:
  explicit RangeCursor(bool reverse) : reverse_(reverse) {}
  ~RangeCursor() { detach(); }
  RangeCursor(const RangeCursor&) = delete;
  RangeCursor& operator=(const RangeCursor&) = delete;

  // Opens an LMDB cursor on `dbi` in `txn`. REQUIRES: detached. The position
  // is undefined until seek_start() or seek().
  void attach(MDB_txn* txn, MDB_dbi dbi);
  // Closes the LMDB cursor (before its transaction is reset or ended).
  void detach();
  bool attached() const { return cursor_ != nullptr; }

  // Positions at the first entry in the walking direction.
  void seek_start();
  // Positions so that the walk reaches every entry at or beyond `target` in
  // the walking direction; it may first yield a few entries before `target`
  // (members of the bucket around it, or the entry just past it in reverse),
  // which the caller skips.
  void seek(std::string_view target);

  // The next entry in the walking direction; false at the end.
  bool next(std::string_view* key, std::string_view* value);

 private:
  // Makes the raw LMDB entry the one next() looks at first.
  void take(int rc, const MDB_val& key, const MDB_val& value);

  bool reverse_;
  MDB_cursor* cursor_ = nullptr;
  // A raw entry fetched by a seek and not yet walked.
  bool pending_ = false;
  bool exhausted_ = false;
  MDB_val pending_key_{}, pending_value_{};
  // The bucket being walked and how many of its members are already out.
  std::string bucket_key_;
  Bucket bucket_;
  size_t bucket_done_ = 0;
  // The last entry handed out, when it is a direct key.
  std::string key_, value_;
};

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_RANGE_CURSOR_H
