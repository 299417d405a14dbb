// instance.h -- one LMDB environment serving one jormun engine instance.
//
// Layout of the environment (in the instance's data directory):
//   - the main (unnamed) database holds LMDB's records of the named databases
//     and the key "jormun.lmdb.format" -> the format version;
//   - each keyspace is a named database, named as keyspace_names.h says, so
//     any bytes of any length can name a keyspace;
//   - keys longer than LMDB allows are stored as described in long_keys.h.
//
// Concurrency:
//   - Writers (write, keyspace create/drop) take write_mutex_: one LMDB write
//     transaction at a time, so one batch is one transaction.
//   - Readers use their own read transactions (MDB_NOTLS: they are not tied
//     to a thread) and never wait for the writer.
//   - Growth: when a write transaction hits MDB_MAP_FULL, the writer aborts
//     it, takes the map gate exclusive (map_gate.h: every call touching the
//     map holds it shared for the length of the call only), suspends the
//     open iterators (iterator.h), doubles the map and retries. Nothing waits
//     on anything held across calls, so growth cannot deadlock.
//   - Snapshots keep a read transaction open across calls, and LMDB forbids
//     remapping under one, so growth does not remap while a snapshot lives:
//     the writer fails with JORMUN_NO_SPACE instead of waiting (waiting could
//     deadlock a thread that writes while holding a snapshot). To make that
//     rare, the map also grows early, after any commit that leaves it more
//     than three quarters full while no snapshot is open.
// Lock order: keyspaces_mutex_, write_mutex_, gate_, a snapshot's mutex.
#ifndef JORMUN_LMDB_INSTANCE_H
#define JORMUN_LMDB_INSTANCE_H

#include <lmdb.h>

#include <atomic>
#include <jormun/plugin.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "iterator.h"
#include "map_gate.h"
#include "options.h"
#include "read_txn_pool.h"

namespace jormun::lmdb {

class LmdbKeyspace final : public plugin::Keyspace {
 public:
  // Marks a handle whose database could not be opened again after a failed
  // drop (see keyspace_drop); every use of it is refused.
  static constexpr MDB_dbi kDead = ~MDB_dbi{0};

  LmdbKeyspace(const void* owner, MDB_dbi dbi, std::string db)
      : owner(owner), db(std::move(db)), dbi(dbi) {}
  const void* const owner;  // the instance it belongs to
  const std::string db;     // the name of its LMDB database
  // Changes only in a failed keyspace_drop, under the instance's
  // keyspaces_mutex_; read without it by every call using the handle.
  std::atomic<MDB_dbi> dbi;
};

class LmdbInstance final : public plugin::Instance {
 public:
  // Opens or creates the environment in `data_dir`.
  LmdbInstance(const std::string& data_dir, const Options& options);
  ~LmdbInstance() override;
  LmdbInstance(const LmdbInstance&) = delete;
  LmdbInstance& operator=(const LmdbInstance&) = delete;

  plugin::Keyspace* keyspace_open(std::string_view name, bool create) override;
  void keyspace_drop(plugin::Keyspace* keyspace) override;
  bool get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
           std::string_view key, jormun_value_fn fn, void* ctx) override;
  void write(const jormun_write_op* ops, size_t count, bool sync) override;
  std::unique_ptr<plugin::Iterator> iterate(plugin::Keyspace* keyspace,
                                            const plugin::Range& range) override;
  plugin::Snapshot* snapshot_acquire() override;
  void snapshot_release(plugin::Snapshot* snapshot) override;
  void checkpoint(const std::string& target_dir) override;
  void sync() override;
  void stats(jormun_stat_fn fn, void* ctx) override;

 private:
  // Runs `body(txn)` in one write transaction and commits it, growing the
  // map and rerunning `body` on MDB_MAP_FULL. Takes write_mutex_.
  template <typename Body>
  void run_write(Body&& body);
  // Doubles the map. REQUIRES: write_mutex_ held, gate_ not held.
  // Returns false (and does nothing) when a snapshot is open.
  bool grow();
  // Grows ahead of need when the map is more than three quarters used.
  void grow_early();
  // Opens every keyspace stored in the environment and checks its format.
  void load(MDB_txn* txn);
  // Records in `txn` that the environment holds long keyspace names.
  void mark_long_names(MDB_txn* txn);
  // After a failed drop of `ks` (database `db`): opens the database again,
  // since mdb_drop closed its handle before the commit failed. Returns false
  // when the database is gone (the drop reached the disk after all); when
  // it cannot even look, marks the handle kDead and returns true.
  // REQUIRES: keyspaces_mutex_ held.
  bool reopen_after_failed_drop(LmdbKeyspace& ks, const std::string& db);
  MDB_dbi dbi_of(plugin::Keyspace* keyspace) const;
  // Flushes the last meta page (what `sync` makes every commit do).
  void flush();
  std::shared_ptr<SnapshotTxn> snapshot_of(const plugin::Snapshot* s) const;

  Options options_;
  MDB_env* env_ = nullptr;
  // Ended in the destructor, before the environment closes.
  std::unique_ptr<ReadTxnPool> reads_;
  MapGate gate_;
  std::mutex write_mutex_;
  // A commit since the last flush of the meta page (without `sync`): only
  // then does closing flush it. A pool that closes and reopens idle tables
  // would otherwise pay a disk flush for each table it only read.
  std::atomic<bool> unflushed_{false};
  std::atomic<int> live_snapshots_{0};
  IteratorRegistry iterators_;
  std::mutex keyspaces_mutex_;
  std::map<std::string, std::unique_ptr<LmdbKeyspace>, std::less<>> keyspaces_;
};

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_INSTANCE_H
