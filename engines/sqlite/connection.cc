#include "connection.h"

#include <jormun/plugin.hpp>

#include "sqlite_status.h"

namespace jormun::sqlite {

Statement& Statement::bind(int index, int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view blob) {
  // SQLite binds a null pointer as SQL NULL; an empty key or value must stay
  // an empty blob, which sorts first among blobs.
  const void* data = blob.empty() ? "" : blob.data();
  check(db_, sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_STATIC), "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, "step");
}

void Statement::execute() {
  ResetOnExit reset(*this);
  while (step()) {
  }
}

std::string_view Statement::blob(int column) const {
  // Per the SQLite docs, fetch the pointer before the size.
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

Connection::Connection(const std::string& path, int flags, int busy_timeout_ms)
    : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string what = "open " + path;
    // The handle exists even on failure and carries the message; close it
    // after building the error.
    try {
      fail(db_, rc, what);
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

Connection::~Connection() {
  // The cached statements first; sqlite3_close_v2 would otherwise keep the
  // connection alive as a zombie until they are finalized.
  begin_.reset();
  commit_.reset();
  rollback_.reset();
  sqlite3_close_v2(db_);
}

Statement& Connection::cached(std::unique_ptr<Statement>& slot, const char* sql) {
  if (!slot) slot = prepare(sql);
  return *slot;
}

void Connection::begin_immediate() { cached(begin_, "BEGIN IMMEDIATE").execute(); }

void Connection::commit() { cached(commit_, "COMMIT").execute(); }

void Connection::rollback() noexcept {
  try {
    cached(rollback_, "ROLLBACK").execute();
  } catch (...) {
    // Nothing to roll back, or the connection already did.
  }
}

PageCache Connection::take_page_cache() {
  auto status = [this](int op, bool reset) {
    int current = 0, highwater = 0;
    sqlite3_db_status(db_, op, &current, &highwater, reset ? 1 : 0);
    return static_cast<uint64_t>(current < 0 ? 0 : current);
  };
  PageCache c;
  c.hits = status(SQLITE_DBSTATUS_CACHE_HIT, true);
  c.misses = status(SQLITE_DBSTATUS_CACHE_MISS, true);
  c.used_bytes = status(SQLITE_DBSTATUS_CACHE_USED, false);
  return c;
}

void Connection::exec(const char* sql) {
  check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
}

std::unique_ptr<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  check(db_,
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
        "prepare");
  return std::make_unique<Statement>(db_, stmt);
}

void Connection::enable_wal() {
  auto pragma = prepare("PRAGMA journal_mode=WAL");
  ResetOnExit reset(*pragma);
  // The pragma answers with the mode now in force, which stays the old one
  // when the file system cannot do WAL.
  if (!pragma->step() || pragma->blob(0) != "wal")
    throw plugin::Error(JORMUN_IO_ERROR,
                        "sqlite: cannot switch " + path_ + " to WAL mode");
}

void Connection::keep_wal_files() {
  int on = 1;
  check(db_, sqlite3_file_control(db_, "main", SQLITE_FCNTL_PERSIST_WAL, &on),
        "keep the WAL files of " + path_);
  // Emptied when the connection closes, not kept at the size it grew to.
  exec("PRAGMA journal_size_limit=0");
}

void Connection::set_synchronous(int level) {
  static const char* const pragmas[] = {
      "PRAGMA synchronous=OFF", "PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL"};
  // Not a cached statement: SQLite applies this pragma when it prepares it,
  // not when it runs.
  exec(pragmas[level]);
}

void Connection::set_mmap_size(int64_t bytes) {
  exec(("PRAGMA mmap_size=" + std::to_string(bytes)).c_str());
}

void Connection::backup_to(const std::string& dest_path, int busy_timeout_ms) {
  Connection dest(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms);
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", db_, "main");
  if (backup == nullptr)
    fail(dest.get(), sqlite3_errcode(dest.get()), "backup of " + path_);
  int step_rc = sqlite3_backup_step(backup, -1);
  int finish_rc = sqlite3_backup_finish(backup);
  if (step_rc != SQLITE_DONE) fail(nullptr, step_rc, "backup of " + path_);
  check(dest.get(), finish_rc, "backup of " + path_);
}

Transaction::~Transaction() {
  if (!done_) c_.rollback();
}

void Transaction::commit() {
  c_.commit();
  done_ = true;
}

SynchronousScope::SynchronousScope(Connection& c, int during, int after)
    : c_(c), after_(after), changed_(during != after) {
  if (changed_) c_.set_synchronous(during);
}

SynchronousScope::~SynchronousScope() {
  if (!changed_) return;
  // If this fails the connection keeps the other level until the next
  // scope: durability or speed differs for a while, atomicity never does.
  try {
    c_.set_synchronous(after_);
  } catch (...) {
  }
}

}  // namespace jormun::sqlite
