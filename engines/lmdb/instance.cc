#include "instance.h"

#include <sys/statvfs.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <system_error>

#include "key_store.h"
#include "keyspace_names.h"
#include "lmdb_status.h"
#include "long_keys.h"

namespace jormun::lmdb {
namespace {

// DO NOT CHANGE: embedded in on-disk data. Bump when the layout described in
// instance.h or long_keys.h changes.
constexpr std::string_view kFormatKey = "jormun.lmdb.format";
constexpr std::string_view kFormatVersion = "1";
// Format 1 plus long keyspace names (keyspace_names.h). Written when the
// first long name is recorded, so that an engine that reads only format 1
// refuses the directory instead of missing those keyspaces.
constexpr std::string_view kFormatLongNames = "2";

// Each live iterator, snapshot and in-flight read holds a reader slot; LMDB's
// default of 126 is low for a server with many concurrent scans.
constexpr unsigned int kMaxReaders = 1024;

// Below this much room, a file system counts as full.
constexpr uint64_t kFullBelowBytes = uint64_t{1} << 20;

// LMDB reports a page write the kernel cut short as EIO (mdb_page_flush),
// and a short write to a regular file means its disk filled up during the
// write: when the data directory's file system is full, `rc` is ENOSPC, so
// the host learns the disk is full rather than failing.
int full_disk_as_enospc(MDB_env* env, int rc) {
  if (rc != EIO) return rc;
  const char* path = nullptr;
  struct statvfs fs {};
  if (::mdb_env_get_path(env, &path) != 0 || ::statvfs(path, &fs) != 0) return rc;
  return uint64_t{fs.f_bavail} * fs.f_frsize < kFullBelowBytes ? ENOSPC : rc;
}

struct AbortTxn {
  void operator()(MDB_txn* txn) const { ::mdb_txn_abort(txn); }
};
using TxnPtr = std::unique_ptr<MDB_txn, AbortTxn>;

TxnPtr begin_txn(MDB_env* env, unsigned int flags) {
  MDB_txn* txn = nullptr;
  check(::mdb_txn_begin(env, nullptr, flags, &txn),
        flags & MDB_RDONLY ? "begin read" : "begin write");
  return TxnPtr(txn);
}

}  // namespace

LmdbInstance::LmdbInstance(const std::string& data_dir, const Options& options)
    : options_(options) {
  check(::mdb_env_create(&env_), "create environment");
  try {
    // One more database than keyspaces: the name directory.
    check(::mdb_env_set_maxdbs(env_, options.max_keyspaces + 1), "max_keyspaces");
    check(::mdb_env_set_mapsize(env_, options.map_size_bytes), "map_size_mb");
    check(::mdb_env_set_maxreaders(env_, kMaxReaders), "max readers");
    unsigned int flags = MDB_NOTLS;
    // Never MDB_NOSYNC: without the data flush before the meta page is
    // written, a machine crash can leave a meta page pointing at pages that
    // never reached the disk, a corrupt database. MDB_NOMETASYNC keeps that
    // order and only defers the meta page's flush to the next commit, so a
    // machine crash can undo the last commit but never tear or corrupt.
    if (!options.sync) flags |= MDB_NOMETASYNC;
    check(::mdb_env_open(env_, data_dir.c_str(), flags, 0644), "open '" + data_dir + "'");
    if (::mdb_env_get_maxkeysize(env_) < static_cast<int>(kBucketPrefix))
      throw plugin::Error(JORMUN_NOT_SUPPORTED,
                          "lmdb: this liblmdb allows keys of only " +
                              std::to_string(::mdb_env_get_maxkeysize(env_)) + " bytes");
    run_write([&](MDB_txn* txn) { load(txn); });
    // Whatever load() wrote (the format of a new environment) it writes
    // again at the next open if a crash loses it: no flush owed for it.
    unflushed_.store(false);
    reads_ = std::make_unique<ReadTxnPool>(env_);
  } catch (...) {
    ::mdb_env_close(env_);
    throw;
  }
}

LmdbInstance::~LmdbInstance() {
  // Without `sync`, flush the last meta page so that a clean close is
  // durable; a failure here has no one to report to.
  if (unflushed_.load()) ::mdb_env_sync(env_, 1);
  reads_.reset();
  ::mdb_env_close(env_);
}

void LmdbInstance::load(MDB_txn* txn) {
  MDB_dbi main = 0;
  check(::mdb_dbi_open(txn, nullptr, 0, &main), "open main database");
  MDB_val k = mdb_val(kFormatKey), v{};
  int rc = ::mdb_get(txn, main, &k, &v);
  if (rc == MDB_NOTFOUND) {
    v = mdb_val(kFormatVersion);
    check(::mdb_put(txn, main, &k, &v, 0), "write format version");
  } else {
    check(rc, "read format version");
    if (view(v) != kFormatVersion && view(v) != kFormatLongNames)
      throw plugin::Error(JORMUN_NOT_SUPPORTED,
                          "lmdb: unsupported on-disk format '" + std::string(view(v)) +
                              "' (this engine reads '" + std::string(kFormatVersion) +
                              "' and '" + std::string(kFormatLongNames) + "')");
  }
  auto open_keyspace = [&](std::string name, std::string db) {
    MDB_dbi dbi = 0;
    check(::mdb_dbi_open(txn, db.c_str(), 0, &dbi), "open keyspace");
    keyspaces_[std::move(name)] =
        std::make_unique<LmdbKeyspace>(this, dbi, std::move(db));
  };
  MDB_cursor* raw = nullptr;
  check(::mdb_cursor_open(txn, main, &raw), "open cursor");
  std::unique_ptr<MDB_cursor, void (*)(MDB_cursor*)> cursor(raw, &::mdb_cursor_close);
  for (rc = ::mdb_cursor_get(raw, &k, &v, MDB_FIRST); rc == 0;
       rc = ::mdb_cursor_get(raw, &k, &v, MDB_NEXT)) {
    std::string db(view(k));
    if (std::optional<std::string> name = direct_keyspace(db))
      open_keyspace(std::move(*name), std::move(db));
  }
  if (rc != MDB_NOTFOUND) check(rc, "list keyspaces");
  cursor.reset();
  list_long_names(txn, open_keyspace);
}

void LmdbInstance::mark_long_names(MDB_txn* txn) {
  MDB_dbi main = 0;
  check(::mdb_dbi_open(txn, nullptr, 0, &main), "open main database");
  MDB_val k = mdb_val(kFormatKey), v = mdb_val(kFormatLongNames);
  check(::mdb_put(txn, main, &k, &v, 0), "write format version");
}

template <typename Body>
void LmdbInstance::run_write(Body&& body) {
  std::lock_guard writer(write_mutex_);
  for (;;) {
    try {
      std::shared_lock gate(gate_);
      TxnPtr txn = begin_txn(env_, 0);
      body(txn.get());
      check(full_disk_as_enospc(env_, ::mdb_txn_commit(txn.release())), "commit");
      if (!options_.sync) unflushed_.store(true);
      break;
    } catch (const MapFull&) {
      // The transaction is gone and the gate released (both were scoped to
      // the try block), so the map may be remapped now.
      if (!grow()) {
        MDB_envinfo info{};
        ::mdb_env_info(env_, &info);
        throw plugin::Error(JORMUN_NO_SPACE,
                            "lmdb: the map is full at " +
                                std::to_string(info.me_mapsize >> 20) +
                                " MiB and cannot grow while a snapshot is open; release "
                                "snapshots and retry");
      }
    }
  }
  grow_early();
}

bool LmdbInstance::grow() {
  std::unique_lock gate(gate_);
  if (live_snapshots_ > 0) return false;
  iterators_.suspend_all();
  MDB_envinfo info{};
  check(::mdb_env_info(env_, &info), "map info");
  check(::mdb_env_set_mapsize(env_, info.me_mapsize * 2), "grow map");
  return true;
}

void LmdbInstance::grow_early() {
  if (live_snapshots_ > 0) return;
  MDB_envinfo info{};
  MDB_stat stat{};
  {
    std::shared_lock gate(gate_);
    check(::mdb_env_info(env_, &info), "map info");
    check(::mdb_env_stat(env_, &stat), "map stat");
  }
  if ((info.me_last_pgno + 1) * stat.ms_psize * 4 > info.me_mapsize * 3) grow();
}

MDB_dbi LmdbInstance::dbi_of(plugin::Keyspace* keyspace) const {
  auto* ks = dynamic_cast<LmdbKeyspace*>(keyspace);
  if (ks == nullptr || ks->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "lmdb: keyspace handle is not from this instance");
  MDB_dbi dbi = ks->dbi;
  if (dbi == LmdbKeyspace::kDead)
    throw plugin::Error(JORMUN_IO_ERROR,
                        "lmdb: the keyspace's handle was lost when a drop of it "
                        "failed; reopen the instance");
  return dbi;
}

std::shared_ptr<SnapshotTxn> LmdbInstance::snapshot_of(
    const plugin::Snapshot* snapshot) const {
  if (snapshot == nullptr) return nullptr;
  auto* s = dynamic_cast<const LmdbSnapshot*>(snapshot);
  if (s == nullptr || s->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "lmdb: snapshot handle is not from this instance");
  return s->txn;
}

plugin::Keyspace* LmdbInstance::keyspace_open(std::string_view name, bool create) {
  std::lock_guard lock(keyspaces_mutex_);
  if (auto it = keyspaces_.find(name); it != keyspaces_.end()) return it->second.get();
  // Every stored keyspace was opened by load(), so absent here is absent.
  if (!create) return nullptr;
  // Counted here: the environment's database limit also covers the name
  // directory of keyspace_names.h.
  if (keyspaces_.size() >= options_.max_keyspaces)
    throw plugin::Error(JORMUN_NO_SPACE, "lmdb: max_keyspaces (" +
                                             std::to_string(options_.max_keyspaces) +
                                             ") keyspaces exist already");
  const bool direct = name.size() <= kMaxDirectName;
  std::string db;
  MDB_dbi dbi = 0;
  run_write([&](MDB_txn* txn) {
    if (direct) {
      db = direct_database(name);
    } else {
      db = add_long_name(txn, name);
      mark_long_names(txn);
    }
    check(::mdb_dbi_open(txn, db.c_str(), MDB_CREATE, &dbi), "create keyspace");
  });
  auto& slot = keyspaces_[std::string(name)];
  slot = std::make_unique<LmdbKeyspace>(this, dbi, std::move(db));
  return slot.get();
}

void LmdbInstance::keyspace_drop(plugin::Keyspace* keyspace) {
  dbi_of(keyspace);
  std::lock_guard lock(keyspaces_mutex_);
  auto it = keyspaces_.begin();
  while (it != keyspaces_.end() && it->second.get() != keyspace) ++it;
  if (it == keyspaces_.end())
    throw plugin::Error(JORMUN_INVALID_ARGUMENT, "lmdb: keyspace already dropped");
  const std::string& db = it->second->db;
  const bool direct = it->first.size() <= kMaxDirectName;
  try {
    run_write([&](MDB_txn* txn) {
      // mdb_drop closes the handle even if the transaction then aborts (map
      // full), so a retry opens it again by name.
      MDB_dbi dbi = 0;
      check(::mdb_dbi_open(txn, db.c_str(), 0, &dbi), "open keyspace");
      check(::mdb_drop(txn, dbi, 1), "drop keyspace");
      if (!direct) remove_long_name(txn, db);
    });
  } catch (...) {
    // The closed handle's number is free for the next keyspace_open, which
    // would then alias this keyspace: open it again first (we still hold
    // keyspaces_mutex_, so no open can come in between).
    if (reopen_after_failed_drop(*it->second, db)) throw;
  }
  keyspaces_.erase(it);
}

bool LmdbInstance::reopen_after_failed_drop(LmdbKeyspace& ks, const std::string& db) {
  bool found = true;
  MDB_dbi dbi = 0;
  try {
    run_write([&](MDB_txn* txn) {
      int rc = ::mdb_dbi_open(txn, db.c_str(), 0, &dbi);
      found = rc != MDB_NOTFOUND;
      if (found) check(rc, "reopen keyspace");
    });
  } catch (...) {
    // Unusable rather than aliased; a reopen of the instance heals it.
    ks.dbi = LmdbKeyspace::kDead;
    return true;
  }
  // Only now: a handle opened in a transaction that aborts is closed again.
  if (found) ks.dbi = dbi;
  return found;
}

bool LmdbInstance::get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
                       std::string_view key, jormun_value_fn fn, void* ctx) {
  MDB_dbi dbi = dbi_of(keyspace);
  std::shared_ptr<SnapshotTxn> snap = snapshot_of(snapshot);
  std::shared_lock gate(gate_);
  auto deliver = [&](MDB_txn* txn) {
    std::string_view value;
    if (!get_key(txn, dbi, key, &value)) return false;
    fn(ctx, reinterpret_cast<const uint8_t*>(value.data()), value.size());
    return true;
  };
  if (!snap) return deliver(ReadTxnPool::Lease(*reads_).get());
  std::lock_guard lock(snap->mutex());
  // A keyspace created after the snapshot did not exist at it: empty.
  unsigned int flags = 0;
  if (::mdb_dbi_flags(snap->txn(), dbi, &flags) != 0) return false;
  return deliver(snap->txn());
}

void LmdbInstance::write(const jormun_write_op* ops, size_t count, bool sync) {
  if (count == 0) return;
  std::vector<MDB_dbi> dbis(count);
  for (size_t i = 0; i < count; ++i)
    dbis[i] = dbi_of(reinterpret_cast<plugin::Keyspace*>(ops[i].keyspace));
  run_write([&](MDB_txn* txn) {
    for (size_t i = 0; i < count; ++i) {
      std::string_view key = plugin::view(ops[i].key);
      if (ops[i].kind == JORMUN_OP_PUT) {
        put_key(txn, dbis[i], key, plugin::view(ops[i].value));
      } else {
        erase_key(txn, dbis[i], key);
      }
    }
  });
  if (sync && !options_.sync) flush();
}

std::unique_ptr<plugin::Iterator> LmdbInstance::iterate(plugin::Keyspace* keyspace,
                                                        const plugin::Range& range) {
  MDB_dbi dbi = dbi_of(keyspace);
  std::shared_ptr<SnapshotTxn> snap = snapshot_of(range.snapshot);
  std::shared_lock gate(gate_);
  return std::make_unique<LmdbIterator>(env_, gate_, iterators_, dbi, range,
                                        std::move(snap));
}

plugin::Snapshot* LmdbInstance::snapshot_acquire() {
  std::shared_lock gate(gate_);
  TxnPtr txn = begin_txn(env_, MDB_RDONLY);
  auto shared = std::make_shared<SnapshotTxn>(txn.get(), live_snapshots_);
  txn.release();
  return new LmdbSnapshot(this, std::move(shared));
}

void LmdbInstance::snapshot_release(plugin::Snapshot* snapshot) {
  std::shared_lock gate(gate_);
  delete snapshot;
}

void LmdbInstance::checkpoint(const std::string& target_dir) {
  std::error_code ec;
  if (!std::filesystem::create_directory(target_dir, ec)) {
    if (ec)
      throw plugin::Error(JORMUN_IO_ERROR, "lmdb: checkpoint: cannot create '" +
                                               target_dir + "': " + ec.message());
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "lmdb: checkpoint: '" + target_dir + "' already exists");
  }
  int rc = 0;
  {
    std::shared_lock gate(gate_);
    rc = ::mdb_env_copy2(env_, target_dir.c_str(), MDB_CP_COMPACT);
  }
  if (rc != 0) {
    std::filesystem::remove_all(target_dir, ec);
    fail(rc, "checkpoint to '" + target_dir + "'");
  }
}

void LmdbInstance::sync() {
  // Commits reach the disk in order (the data before its meta page, see
  // open), so a crash loses only the last ones: JORMUN_CAP_SYNC's promise.
  // Without `sync` the last meta page may be unflushed; this flushes it.
  flush();
}

void LmdbInstance::flush() {
  // Cleared first: a commit that lands during the flush sets it again.
  unflushed_.store(false);
  std::shared_lock gate(gate_);
  if (int rc = full_disk_as_enospc(env_, ::mdb_env_sync(env_, 1)); rc != 0) {
    unflushed_.store(true);
    fail(rc, "sync");
  }
}

void LmdbInstance::stats(jormun_stat_fn fn, void* ctx) {
  std::lock_guard lock(keyspaces_mutex_);
  std::shared_lock gate(gate_);
  MDB_envinfo info{};
  MDB_stat env_stat{};
  check(::mdb_env_info(env_, &info), "map info");
  check(::mdb_env_stat(env_, &env_stat), "map stat");
  ReadTxnPool::Lease txn(*reads_);
  // LMDB counts a bucket of long keys as one entry; so does this figure.
  uint64_t entries = 0;
  for (const auto& [name, ks] : keyspaces_) {
    MDB_dbi dbi = ks->dbi;
    if (dbi == LmdbKeyspace::kDead) continue;
    MDB_stat s{};
    check(::mdb_stat(txn.get(), dbi, &s), "keyspace stat");
    entries += s.ms_entries;
  }
  auto emit = [&](const char* name, uint64_t value) {
    fn(ctx, name, std::to_string(value).c_str());
  };
  // The pages up to the last one used: what the map must hold, free pages
  // within it included. The map doubles when this reaches map_size_bytes.
  const uint64_t used = static_cast<uint64_t>(info.me_last_pgno + 1) * env_stat.ms_psize;
  emit("approximate_size_bytes", used);
  emit("map_size_bytes", info.me_mapsize);
  emit("map_used_bytes", used);
  emit("entries", entries);
  emit("keyspaces", keyspaces_.size());
  emit("readers", info.me_numreaders);
  emit("open_snapshots", static_cast<uint64_t>(live_snapshots_.load()));
}

}  // namespace jormun::lmdb
