// sql.h -- the SQL text the engine runs, in one place.
//
// Only what PostgreSQL, CockroachDB and YugabyteDB all document: CREATE
// SCHEMA/TABLE IF NOT EXISTS, bytea columns and primary keys, INSERT ... ON
// CONFLICT DO UPDATE, row-value comparisons, ORDER BY ... LIMIT, and
// transactions with an explicit isolation level. No advisory locks, no
// PL/pgSQL, no PostgreSQL-only functions on the data path.
//
// Layout, all in the configured schema:
//   jormun_keyspaces(instance, name, relname)  which table holds each
//       keyspace of each instance (bytea columns, keyed by instance + name);
//   one table per keyspace, named "k" + instance id + "_" + a random suffix
//       (never reused, so a statement prepared for a dropped keyspace can
//       never reach its successor), with columns (p, h, rest, v) as
//       key_split.h describes.
#ifndef JORMUN_POSTGRES_SQL_H
#define JORMUN_POSTGRES_SQL_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jormun::postgres::sql {

// "ident" with embedded quotes doubled.
std::string quote(std::string_view ident);

// Statements that create the schema and the registry; each is idempotent.
std::vector<std::string> bootstrap(const std::string& schema);

// Registry statements; parameters are bytea.
std::string find_keyspace(const std::string& schema);      // $1 instance, $2 name
std::string register_keyspace(const std::string& schema);  // $1 instance, $2 name, $3 relname
std::string forget_keyspace(const std::string& schema);    // $1 instance, $2 name
std::string list_keyspaces(const std::string& schema);     // $1 instance -> name, relname

// The statements over one keyspace table ("schema"."relname", quoted).
struct KeyspaceSql {
  explicit KeyspaceSql(const std::string& schema, const std::string& relname);
  std::string table;
  std::string get;  // $1 p, $2 h -> v
  // get, locking the row for the transaction (a precondition's read).
  std::string get_for_update;  // $1 p, $2 h -> v
  std::string put;  // $1 p, $2 h, $3 rest, $4 v
  std::string del;  // $1 p, $2 h
  std::string create() const;
  std::string drop() const;
  // Copies every row of `from` (a quoted table name) into this table.
  std::string copy_from(const std::string& from) const;

  // One page of a range walk -> p, rest, v. Parameters: the lower bound's
  // (p, rest) when lower_kind is not none, then the upper bound's.
  std::string range(uint32_t lower_kind, uint32_t upper_kind, bool reverse,
                    uint32_t limit) const;
};

}  // namespace jormun::postgres::sql

#endif  // JORMUN_POSTGRES_SQL_H
