// partition.h -- one partition file: its single writer and its readers.
//
// Connection model: one writer connection behind `write_mutex()` (SQLite
// allows one writer per file anyway; taking our mutex first means writers
// queue here instead of spinning in SQLite's busy handler), and a pool of
// read-only connections that grows to the peak number of concurrent readers.
// A reader is leased to one thread for a point read the idle writer could
// not take (get_if_writer_idle) or for as long as an iterator stays in this
// partition. All connections are NOMUTEX because of
// this exclusive use.
//
// Thread-safety: lease_reader() and get_if_writer_idle() are safe from any
// thread; the writer-side members REQUIRE write_mutex() held by the caller.
#ifndef JORMUN_ENGINES_SQLITE_PARTITION_H
#define JORMUN_ENGINES_SQLITE_PARTITION_H

#include <functional>
#include <jormun/write_group.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "connection.h"
#include "mutation.h"
#include "read_connection.h"

namespace jormun::sqlite {

class Partition;

// A read connection borrowed from a partition; returned on destruction.
class ReaderLease {
 public:
  ReaderLease(Partition* owner, std::unique_ptr<ReadConnection> conn)
      : owner_(owner), conn_(std::move(conn)) {}
  ReaderLease(ReaderLease&&) = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease();
  ReadConnection* operator->() const { return conn_.get(); }

 private:
  Partition* owner_;
  std::unique_ptr<ReadConnection> conn_;
};

class Partition {
 public:
  // Opens (with `create`, creating) the file at `path` in WAL mode with the
  // given PRAGMA synchronous level.
  Partition(std::string path, bool create, int synchronous, int busy_timeout_ms,
            int64_t mmap_bytes);

  const std::string& path() const { return path_; }

  ReaderLease lease_reader();

  // Point read through the writer connection, when no write holds it (else
  // nullopt, and the caller leases a reader): calls fn(ctx, value) and
  // answers whether the key is present. The writer's page cache stays valid
  // across its own commits, where a reader's is dropped whenever the file
  // changed, so under writes this read finds its pages in memory instead of
  // reading them again.
  std::optional<bool> get_if_writer_idle(int64_t keyspace, std::string_view key,
                                         jormun_value_fn fn, void* ctx);

  std::mutex& write_mutex() { return write_mutex_; }

  // REQUIRES write_mutex(). Applies `ops` in order in one transaction. When
  // `intent_seq` > 0 the transaction also records it as this file's
  // intent mark. With `sync`, the commit is fsynced (PRAGMA synchronous=FULL
  // for this one transaction).
  void apply(std::span<const Mutation> ops, int64_t intent_seq, bool sync);

  // Without holding write_mutex(): applies `ops` in one fsynced commit shared
  // with the synced batches other threads submit to this file meanwhile
  // (jormun/write_group.hpp), each batch whole. `writable` runs under the
  // write lock before the commit and may throw to refuse it. A failed
  // commit fails every batch of its group.
  void apply_synced(std::span<const Mutation> ops, const std::function<void()>& writable);

  // REQUIRES write_mutex(). The last intent sequence applied here, 0 if none.
  int64_t intent_mark();

  // REQUIRES write_mutex(). Deletes every entry of a keyspace.
  void erase_keyspace(int64_t keyspace);

  // The page cache figures of the file's connections: hits and misses since
  // the partition opened (a reader's are added at the first call that finds
  // it idle, so they never go down), and the bytes the writer and the idle
  // readers hold now. Waits for a write in progress.
  PageCache page_cache();

  // REQUIRES write_mutex(). Writes a consistent copy of the file to
  // `dest_path`.
  void backup_to(const std::string& dest_path);

 private:
  friend class ReaderLease;
  // REQUIRES write_mutex() and an open transaction.
  void apply_each(std::span<const Mutation> ops);
  void give_back(std::unique_ptr<ReadConnection> conn);

  std::string path_;
  int synchronous_;
  int busy_timeout_ms_;
  int64_t mmap_bytes_;

  std::mutex write_mutex_;
  WriteGroup<std::span<const Mutation>> synced_writes_;
  Connection writer_;
  std::unique_ptr<Statement> put_;
  std::unique_ptr<Statement> delete_;
  std::unique_ptr<Statement> erase_keyspace_;
  std::unique_ptr<Statement> set_mark_;
  std::unique_ptr<Statement> get_mark_;
  std::unique_ptr<Statement> get_;

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<ReadConnection>> idle_readers_;
  PageCache counted_;  // guarded by pool_mutex_; used_bytes unused
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_PARTITION_H
