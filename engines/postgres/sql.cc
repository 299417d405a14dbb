#include "sql.h"

#include <jormun/engine.h>

namespace jormun::postgres::sql {
namespace {

std::string registry(const std::string& schema) {
  return quote(schema) + ".jormun_keyspaces";
}

}  // namespace

std::string quote(std::string_view ident) {
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> bootstrap(const std::string& schema) {
  return {"CREATE SCHEMA IF NOT EXISTS " + quote(schema),
          "CREATE TABLE IF NOT EXISTS " + registry(schema) +
              " (instance bytea NOT NULL, name bytea NOT NULL, relname bytea NOT NULL,"
              " PRIMARY KEY (instance, name))"};
}

std::string find_keyspace(const std::string& schema) {
  return "SELECT relname FROM " + registry(schema) + " WHERE instance = $1 AND name = $2";
}

std::string register_keyspace(const std::string& schema) {
  return "INSERT INTO " + registry(schema) + " (instance, name, relname) VALUES ($1, $2, $3)";
}

std::string forget_keyspace(const std::string& schema) {
  return "DELETE FROM " + registry(schema) + " WHERE instance = $1 AND name = $2";
}

std::string list_keyspaces(const std::string& schema) {
  return "SELECT name, relname FROM " + registry(schema) + " WHERE instance = $1";
}

KeyspaceSql::KeyspaceSql(const std::string& schema, const std::string& relname)
    : table(quote(schema) + "." + quote(relname)) {
  get = "SELECT v FROM " + table + " WHERE p = $1 AND h = $2";
  get_for_update = get + " FOR UPDATE";
  put = "INSERT INTO " + table + " (p, h, rest, v) VALUES ($1, $2, $3, $4)" +
        " ON CONFLICT (p, h) DO UPDATE SET rest = excluded.rest, v = excluded.v";
  del = "DELETE FROM " + table + " WHERE p = $1 AND h = $2";
}

std::string KeyspaceSql::create() const {
  return "CREATE TABLE " + table +
         " (p bytea NOT NULL, h bytea NOT NULL, rest bytea NOT NULL, v bytea NOT NULL,"
         " PRIMARY KEY (p, h))";
}

std::string KeyspaceSql::drop() const { return "DROP TABLE IF EXISTS " + table; }

std::string KeyspaceSql::copy_from(const std::string& from) const {
  return "INSERT INTO " + table + " (p, h, rest, v) SELECT p, h, rest, v FROM " + from;
}

std::string KeyspaceSql::range(uint32_t lower_kind, uint32_t upper_kind, bool reverse,
                               uint32_t limit) const {
  std::string where;
  int n = 0;
  auto bound = [&](uint32_t kind, const char* index_op, const char* strict,
                   const char* inclusive) {
    if (kind == JORMUN_BOUND_NONE) return;
    std::string a = "$" + std::to_string(++n), b = "$" + std::to_string(++n);
    where += where.empty() ? " WHERE " : " AND ";
    // The plain comparison on p lets the planner use the primary key; the
    // row comparison is the exact bound (key_split.h).
    where += "p " + std::string(index_op) + " " + a + " AND (p, rest) " +
             (kind == JORMUN_BOUND_EXCLUSIVE ? strict : inclusive) + " (" + a + ", " + b + ")";
  };
  bound(lower_kind, ">=", ">", ">=");
  bound(upper_kind, "<=", "<", "<=");
  const char* dir = reverse ? " DESC" : "";
  return "SELECT p, rest, v FROM " + table + where + " ORDER BY p" + dir + ", rest" + dir +
         " LIMIT " + std::to_string(limit);
}

}  // namespace jormun::postgres::sql
