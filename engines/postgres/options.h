// options.h -- the PostgreSQL engine's options from jormun.yaml.
//
//   conninfo             a libpq connection string or URI
//                        ("host=db port=5432 dbname=jormun",
//                        "postgresql://db/jormun"); empty (default): libpq's
//                        defaults and its PG* environment variables.
//   host, port, dbname, user
//                        the same settings one by one; they override
//                        conninfo's. `host` may be a unix socket folder.
//   password_env         the name of an environment variable holding the
//                        password;
//   password_file        or a file whose first line is the password. A
//                        password in conninfo is refused: the config file is
//                        no place for one. (libpq's own PGPASSWORD and
//                        ~/.pgpass work too.)
//   schema               the schema every table of the engine lives in
//                        (default "jormun"); created when absent. A lower
//                        case SQL identifier of up to 40 characters.
//   instance_id          the instance's id (16 to 32 lower-case hex digits)
//                        instead of the random one kept in its directory:
//                        every process opening an instance with the same id
//                        reaches the same keyspaces, whatever its directory
//                        (the server's cluster mode passes the table's id,
//                        so that each front end's folder of the table is the
//                        same instance). Not part of the pool key.
//   pool_size            connections kept per connection settings, shared by
//                        every table of the process (default 8, 1..256).
//   statement_timeout_ms statement_timeout of every connection (default
//                        30000; 0: none).
//   connect_timeout_s    how long a connection attempt may take (default 5).
#ifndef JORMUN_POSTGRES_OPTIONS_H
#define JORMUN_POSTGRES_OPTIONS_H

#include <cstdint>
#include <jormun/plugin.hpp>
#include <string>
#include <utility>
#include <vector>

namespace jormun::postgres {

struct Options {
  std::string conninfo;
  // host/port/dbname/user as given, in that order, only the ones set.
  std::vector<std::pair<std::string, std::string>> overrides;
  std::string password_env;
  std::string password_file;
  std::string schema = "jormun";
  std::string instance_id;  // empty: the id file of the directory
  uint32_t pool_size = 8;
  uint64_t statement_timeout_ms = 30000;
  uint32_t connect_timeout_s = 5;

  // What identifies a pool: two instances whose options give the same key
  // share their connections.
  std::string pool_key() const;
};

// Parses the host's key/value options. Throws plugin::Error
// (JORMUN_INVALID_ARGUMENT) naming the key for an unknown key or a bad value.
// Touches no file and no network (the password is read at connect time).
Options parse_options(const plugin::Options& raw);

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_OPTIONS_H
