// iterator.h -- the engine's range iterator and the registry growth uses to
// park iterators before it remaps.
//
// An iterator without a snapshot owns a read transaction begun at creation,
// so it reads the state of that moment. Between calls it holds no pointer
// into the map (range_cursor.h copies what it hands out), so growth may
// suspend it: close its cursor and reset its transaction. The next call then
// renews the transaction and resumes strictly after the last key handed out.
// The walk stays in key order without repeats, and misses no key that
// exists throughout, but after such a resume it reads the newer committed
// state: the walk the ABI promises for an iterator without a snapshot
// (engine.h, jormun_iter_options.snapshot), not one point in time.
//
// An iterator over a snapshot reads through the snapshot's transaction; it is
// never suspended, because growth does not happen while snapshots live.
#ifndef JORMUN_LMDB_ITERATOR_H
#define JORMUN_LMDB_ITERATOR_H

#include <lmdb.h>

#include <jormun/plugin.hpp>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "map_gate.h"
#include "range_cursor.h"
#include "snapshot.h"

namespace jormun::lmdb {

class LmdbIterator;

// The live iterators that own a read transaction. Thread-safe.
class IteratorRegistry {
 public:
  void add(LmdbIterator* it);
  void remove(LmdbIterator* it);
  // Suspends every registered iterator. REQUIRES: the map gate held
  // exclusive, so none of them is inside a call.
  void suspend_all();

 private:
  std::mutex mutex_;
  std::set<LmdbIterator*> live_;
};

class LmdbIterator final : public plugin::Iterator {
 public:
  // Reads `dbi` within `range`: through `snapshot` when it is not null, else
  // through a read transaction of `env` begun here. REQUIRES: the caller
  // holds `gate` shared; `dbi` is valid in the transaction read through.
  LmdbIterator(MDB_env* env, MapGate& gate, IteratorRegistry& registry, MDB_dbi dbi,
               const plugin::Range& range, std::shared_ptr<SnapshotTxn> snapshot);
  // Takes the gate shared itself.
  ~LmdbIterator() override;
  LmdbIterator(const LmdbIterator&) = delete;
  LmdbIterator& operator=(const LmdbIterator&) = delete;

  bool next(jormun_bytes* key, jormun_bytes* value) override;

  // Releases the map so it can be remapped (see the file comment).
  // REQUIRES: the map gate held exclusive.
  void suspend();

 private:
  MDB_txn* txn() const { return snapshot_ ? snapshot_->txn() : own_txn_; }
  // The next entry within the bounds, with the locks already taken.
  bool step(std::string_view* key, std::string_view* value);
  bool before_start(std::string_view key) const;
  bool past_end(std::string_view key) const;
  // Ends the walk early, unpinning the state it read.
  void finish();

  MapGate& gate_;
  IteratorRegistry& registry_;
  MDB_dbi dbi_;
  bool reverse_;
  // Bounds in walking order: the walk starts at start_ and stops at end_.
  // start_ moves to the last key handed out when the iterator is suspended.
  uint32_t start_kind_, end_kind_;
  std::string start_, end_;
  std::shared_ptr<SnapshotTxn> snapshot_;
  MDB_txn* own_txn_ = nullptr;
  bool txn_reset_ = false;  // own_txn_ is reset and needs mdb_txn_renew
  RangeCursor cursor_;
  std::string_view last_key_;  // into cursor_, valid between calls
  bool finished_ = false;
};

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_ITERATOR_H
