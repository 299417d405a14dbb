// handles.h -- the engine's keyspace and snapshot handles.
#ifndef JORMUN_POSTGRES_HANDLES_H
#define JORMUN_POSTGRES_HANDLES_H

#include <jormun/plugin.hpp>
#include <mutex>
#include <string>

#include "pool.h"
#include "sql.h"

namespace jormun::postgres {

class PgKeyspace : public plugin::Keyspace {
 public:
  PgKeyspace(const void* owner, std::string name, std::string relname,
             const std::string& schema)
      : owner(owner), name(std::move(name)), relname(relname), sql(schema, relname) {}
  const void* const owner;  // the instance that opened it
  const std::string name;
  const std::string relname;
  const sql::KeyspaceSql sql;
};

// A REPEATABLE READ transaction held open on a connection of its own: every
// read through it sees the state of its first statement (taken at acquire).
// The host may use a snapshot from several threads at once; `mu` makes them
// take turns on the connection. If the connection is lost, the snapshot is
// too: reads through it fail (JORMUN_IO_ERROR) until the host releases it.
class PgSnapshot : public plugin::Snapshot {
 public:
  PgSnapshot(const void* owner, Pool::Lease conn) : owner(owner), conn(std::move(conn)) {}
  const void* const owner;
  std::mutex mu;
  Pool::Lease conn;
};

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_HANDLES_H
