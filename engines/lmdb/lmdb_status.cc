#include "lmdb_status.h"

#include <lmdb.h>

#include <cerrno>
#include <string>

namespace jormun::lmdb {

jormun_status status_of(int rc) {
  switch (rc) {
    case MDB_NOTFOUND:
      return JORMUN_NOT_FOUND;
    // Growth handles MAP_FULL before it gets here; seeing it means the map
    // could not grow (a snapshot pins it, or the address space is exhausted).
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
    case MDB_DBS_FULL:
    case ENOSPC:
    case EFBIG:
      return JORMUN_NO_SPACE;
    case MDB_READERS_FULL:
    case EAGAIN:
    case EBUSY:
      return JORMUN_BUSY;
    case MDB_BAD_VALSIZE:
    case MDB_INCOMPATIBLE:
    case MDB_BAD_DBI:
    case EINVAL:
    case EEXIST:
      return JORMUN_INVALID_ARGUMENT;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
      return JORMUN_CORRUPTION;
    case ENOMEM:
      return JORMUN_NO_MEMORY;
    case MDB_PANIC:
    case MDB_MAP_RESIZED:
    case MDB_BAD_RSLOT:
    case MDB_BAD_TXN:
    case MDB_TLS_FULL:
    case MDB_CURSOR_FULL:
    case MDB_PAGE_FULL:
    case MDB_KEYEXIST:
      return JORMUN_INTERNAL;
    default:
      // Remaining positive codes are errno values from the file system.
      return rc > 0 ? JORMUN_IO_ERROR : JORMUN_INTERNAL;
  }
}

void fail(int rc, std::string_view what) {
  std::string message = "lmdb: ";
  message += what;
  message += ": ";
  message += ::mdb_strerror(rc);
  if (rc == MDB_MAP_FULL) throw MapFull(status_of(rc), std::move(message));
  throw plugin::Error(status_of(rc), std::move(message));
}

}  // namespace jormun::lmdb
