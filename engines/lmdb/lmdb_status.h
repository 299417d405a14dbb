// lmdb_status.h -- turning LMDB return codes into jormun statuses.
//
// Every LMDB call in this engine goes through check(); a failure becomes a
// jormun::plugin::Error whose message starts with "lmdb: ", names the
// operation and carries mdb_strerror(), so the host sees one consistent form.
#ifndef JORMUN_LMDB_STATUS_H
#define JORMUN_LMDB_STATUS_H

#include <jormun/engine.h>
#include <jormun/plugin.hpp>

#include <string_view>

namespace jormun::lmdb {

// What fail() throws for MDB_MAP_FULL, so that the write path can tell "grow
// the map and retry" from every other failure.
class MapFull : public plugin::Error {
 public:
  using plugin::Error::Error;
};

// The jormun status an LMDB (or errno) return code stands for.
jormun_status status_of(int rc);

// Throws jormun::plugin::Error for `rc` with "lmdb: <what>: <strerror>".
[[noreturn]] void fail(int rc, std::string_view what);

// Returns when rc == MDB_SUCCESS, otherwise fail(rc, what).
inline void check(int rc, std::string_view what) {
  if (rc != 0) fail(rc, what);
}

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_STATUS_H
