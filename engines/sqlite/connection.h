// connection.h -- RAII handles for a SQLite connection, its prepared
// statements and its transactions.
//
// Connections are opened with SQLITE_OPEN_NOMUTEX: the engine never lets two
// threads use one connection at once (a partition's writer is behind its
// mutex, a reader is leased to one thread), so SQLite's per-connection mutex
// would only add cost. Not thread-safe: one thread at a time per object.
#ifndef JORMUN_ENGINES_SQLITE_CONNECTION_H
#define JORMUN_ENGINES_SQLITE_CONNECTION_H

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace jormun::sqlite {

// A prepared statement. Parameters are bound as integers or blobs only, so
// key bytes never become SQL text.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  // Binds a blob (an empty one stays an empty blob, never NULL). The bytes
  // are not copied: they must outlive the statement's use of them.
  Statement& bind(int index, std::string_view blob);

  // Steps once: true when a row is ready, false when the statement is done.
  bool step();
  // Steps a statement that returns no rows to completion, then resets it.
  void execute();
  // Ends the current execution (and with it any read transaction it holds).
  void reset() noexcept { sqlite3_reset(stmt_); }

  // Columns of the current row; a blob stays valid until the next step or
  // reset.
  std::string_view blob(int column) const;
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Resets a statement when the scope ends, also when an exception leaves it.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& s) : s_(s) {}
  ~ResetOnExit() { s_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& s_;
};

// A connection's page cache figures.
struct PageCache {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t used_bytes = 0;
};

class Connection {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX is added), extended
  // result codes on and a busy timeout of `busy_timeout_ms`.
  Connection(const std::string& path, int flags, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs constant SQL (schema, pragmas, transaction control).
  void exec(const char* sql);
  // Prepares a statement meant to be reused many times.
  std::unique_ptr<Statement> prepare(std::string_view sql);
  // Switches the file to WAL mode; throws when SQLite refuses.
  void enable_wal();
  // Keeps the file's -wal (emptied) and -shm when the last connection
  // closes instead of deleting them: a file closed and opened again and
  // again (an idle table closed, reopened on demand) then makes no new
  // inodes each time, which on ext4 costs more than the rest of the open.
  // The -shm keeps 32 KB of disk.
  void keep_wal_files();
  // PRAGMA synchronous: 0 off, 1 normal, 2 full.
  void set_synchronous(int level);
  // PRAGMA mmap_size: read up to `bytes` of the file through a memory map.
  void set_mmap_size(int64_t bytes);
  // Copies the whole database into a new file at `dest_path` with the online
  // backup API, in one step, so the copy is one consistent state.
  void backup_to(const std::string& dest_path, int busy_timeout_ms);

  // The page cache's hits and misses since the last call (the call resets
  // them, so a caller summing them over calls never counts one twice) and
  // the bytes it holds now.
  PageCache take_page_cache();

  // Transaction control through statements prepared once per connection:
  // sqlite3_exec would parse their text on every write. Each throws as exec
  // does; rollback() ignores errors.
  void begin_immediate();
  void commit();
  void rollback() noexcept;

 private:
  // The statement in `slot`, prepared from `sql` on first use.
  Statement& cached(std::unique_ptr<Statement>& slot, const char* sql);

  sqlite3* db_ = nullptr;
  std::string path_;
  std::unique_ptr<Statement> begin_;
  std::unique_ptr<Statement> commit_;
  std::unique_ptr<Statement> rollback_;
};

// An explicit transaction; rolled back unless committed.
class Transaction {
 public:
  // BEGIN IMMEDIATE: take the write lock now rather than fail to upgrade a
  // read lock later.
  explicit Transaction(Connection& c) : c_(c) { c_.begin_immediate(); }
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& c_;
  bool done_ = false;
};

// Sets PRAGMA synchronous to `during` for the scope and back to `after` at
// its end, to give one transaction a different durability than the
// connection's usual one.
class SynchronousScope {
 public:
  SynchronousScope(Connection& c, int during, int after);
  ~SynchronousScope();
  SynchronousScope(const SynchronousScope&) = delete;
  SynchronousScope& operator=(const SynchronousScope&) = delete;

 private:
  Connection& c_;
  int after_;
  bool changed_;
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_CONNECTION_H
