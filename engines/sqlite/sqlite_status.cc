#include "sqlite_status.h"

#include <jormun/plugin.hpp>

#include <string>

namespace jormun::sqlite {

jormun_status status_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK:
      return JORMUN_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return JORMUN_BUSY;
    case SQLITE_FULL:
      return JORMUN_NO_SPACE;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return JORMUN_CORRUPTION;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return JORMUN_IO_ERROR;
    case SQLITE_NOMEM:
      return JORMUN_NO_MEMORY;
    case SQLITE_TOOBIG:
      return JORMUN_INVALID_ARGUMENT;
    default:
      return JORMUN_INTERNAL;
  }
}

void fail(sqlite3* db, int rc, std::string_view what) {
  std::string message = "sqlite: ";
  message += what;
  message += ": ";
  // The connection's message is more specific (it names the file or the
  // constraint) but only describes the latest call on that connection.
  message += db != nullptr && (sqlite3_errcode(db) & 0xff) == (rc & 0xff)
                 ? sqlite3_errmsg(db)
                                                          : sqlite3_errstr(rc);
  throw plugin::Error(status_of(rc), std::move(message));
}

}  // namespace jormun::sqlite
