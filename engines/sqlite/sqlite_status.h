// sqlite_status.h -- turns SQLite result codes into engine errors.
//
// Every SQLite failure leaves the engine as a jormun::plugin::Error whose
// status follows the primary result code (BUSY/LOCKED -> JORMUN_BUSY,
// FULL -> JORMUN_NO_SPACE, CORRUPT/NOTADB -> JORMUN_CORRUPTION,
// IOERR/CANTOPEN -> JORMUN_IO_ERROR, NOMEM -> JORMUN_NO_MEMORY) and whose
// message starts with "sqlite: ".
#ifndef JORMUN_ENGINES_SQLITE_SQLITE_STATUS_H
#define JORMUN_ENGINES_SQLITE_SQLITE_STATUS_H

#include <jormun/engine.h>
#include <sqlite3.h>

#include <string_view>

namespace jormun::sqlite {

// The engine status for a SQLite (primary or extended) result code.
jormun_status status_of(int rc);

// Throws the error for `rc`, which `db` (may be null) just returned while
// doing `what`. The message is "sqlite: <what>: <SQLite's text>".
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what);

// Throws unless rc is SQLITE_OK.
inline void check(sqlite3* db, int rc, std::string_view what) {
  if (rc != SQLITE_OK) fail(db, rc, what);
}

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_SQLITE_STATUS_H
