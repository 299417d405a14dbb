// One RocksDB database as a jormun engine instance.
#ifndef JORMUN_ROCKSDB_INSTANCE_H
#define JORMUN_ROCKSDB_INSTANCE_H

#include <rocksdb/db.h>

#include <atomic>
#include <jormun/plugin.hpp>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "config.h"
#include "database.h"
#include "db_options.h"
#include "handles.h"

namespace jormun::rocks {

// Each keyspace is a column family; the default column family stays empty.
// An existing database whose WAL is empty is opened read-only
// (Database::opens_read_only), and reopened writable by the first call that
// changes something (a write, a keyspace created or
// dropped, a checkpoint, a control command): a table that is only read
// costs no file written and no sync to reopen (database.h).
// Thread-safety: all members may be called concurrently (RocksDB's DB is
// thread-safe); `mutex_` guards the database and the keyspace table, shared
// by calls that use them and exclusive for reopening the database or for
// creating or dropping a keyspace, so a handle is never destroyed under a
// running call.
class RocksInstance final : public plugin::Instance {
 public:
  // The engine's open function (jormun::plugin::OpenWithHostFn): RocksDB's
  // warnings and background errors go to `host` (logger.h).
  static std::unique_ptr<plugin::Instance> open(const std::string& data_dir,
                                                const plugin::Options& options,
                                                const plugin::Host& host = {});
  ~RocksInstance() override;

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
  // "flush": every keyspace's memtable to SST files (answers "keyspaces",
  // how many). "compact": a full manual compaction of every keyspace, which
  // drops deleted and overwritten entries now rather than when RocksDB gets
  // to them (answers "keyspaces" and "live_sst_bytes" after). Neither takes
  // arguments. Keyspaces cannot be opened or dropped meanwhile.
  void control(const std::string& command, const plugin::Options& args, jormun_stat_fn fn,
               void* ctx) override;

 private:
  RocksInstance(const Config& config, std::string data_dir, const plugin::Host& host);
  // Reopens the database writable unless it is, moving what callers hold of
  // the read-only one (ReadOnlyPhase). REQUIRES: mutex_ not held.
  void make_writable();
  // REQUIRES: mutex_ held. Refuses handles this instance does not own.
  RocksKeyspace* keyspace_of(const plugin::Keyspace* keyspace) const;
  rocksdb::ColumnFamilyHandle* column_family(const plugin::Keyspace* keyspace) const {
    return keyspace_of(keyspace)->handle;
  }
  RocksKeyspace* find(std::string_view name) const;
  const RocksSnapshot* snapshot_of(const plugin::Snapshot* snapshot) const;

  const Config config_;
  const DbOptions options_;
  const std::string data_dir_;
  const plugin::Host host_;
  mutable std::shared_mutex mutex_;
  std::shared_ptr<Database> db_;
  // Whether db_ is read-only: set once, cleared once (under mutex_ held
  // exclusively), read without mutex_ to skip make_writable's lock.
  std::atomic<bool> read_only_{false};
  ReadOnlyPhase phase_{mutex_};
  std::unordered_map<const plugin::Keyspace*, std::unique_ptr<RocksKeyspace>> keyspaces_;
};

}  // namespace jormun::rocks

#endif
