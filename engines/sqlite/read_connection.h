// read_connection.h -- a read-only connection to one partition file with
// its prepared statements.
//
// Used by one thread at a time (leased from the partition's pool). In WAL
// mode readers never block the writer or each other; each statement reads
// one committed state of the file from its first step until it is reset.
#ifndef JORMUN_ENGINES_SQLITE_READ_CONNECTION_H
#define JORMUN_ENGINES_SQLITE_READ_CONNECTION_H

#include <jormun/engine.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "connection.h"

namespace jormun::sqlite {

// Runs `get`, a prepared "SELECT value FROM entries WHERE ks = ?1 AND
// key = ?2", on any connection of the file: calls fn(ctx, value) and
// returns true when the key is present.
bool point_get(Statement& get, int64_t keyspace, std::string_view key, jormun_value_fn fn,
               void* ctx);

class ReadConnection {
 public:
  ReadConnection(const std::string& path, int busy_timeout_ms, int64_t mmap_bytes);

  // Point read: calls fn(ctx, value) and returns true when present.
  bool get(int64_t keyspace, std::string_view key, jormun_value_fn fn, void* ctx);

  // The range statement for these bound kinds (JORMUN_BOUND_*) and
  // direction, prepared on first use. Parameters: ?1 keyspace id, ?2 lower
  // bound, ?3 upper bound (only those the kinds use). Rows are (key, value).
  Statement& range(uint32_t lower_kind, uint32_t upper_kind, bool reverse);

  PageCache take_page_cache() { return conn_.take_page_cache(); }

 private:
  Connection conn_;
  std::unique_ptr<Statement> get_;
  // 3 lower kinds x 3 upper kinds x 2 directions.
  std::array<std::unique_ptr<Statement>, 18> ranges_;
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_READ_CONNECTION_H
