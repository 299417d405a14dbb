// connection.h -- one libpq connection with its prepared statements.
//
// Every statement the engine runs with parameters is prepared once per
// connection (the SQL text is the cache key) and then executed with binary
// parameters and binary results: keys and values cross as raw bytes, never
// escaped or hex-encoded. Every parameter is a bytea, which keeps the SQL
// free of casts any of the PostgreSQL-protocol databases might read
// differently.
//
// Not thread-safe: a connection belongs to one thread at a time (the pool
// lends it out; a snapshot guards its own with a mutex).
#ifndef JORMUN_POSTGRES_CONNECTION_H
#define JORMUN_POSTGRES_CONNECTION_H

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "options.h"

namespace jormun::postgres {

// A statement's result; rows and binary columns.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  int rows() const { return PQntuples(r_.get()); }
  std::string_view bytes(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col),
            static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> r_;
};

class Connection {
 public:
  // Connects with `options` and sets the session up (statement timeout).
  // Throws PgError (kConnection) when the server cannot be reached.
  static std::unique_ptr<Connection> connect(const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // True when the connection can no longer be used.
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

  // Runs `sql` with bytea parameters $1..$n, binary results. Throws PgError.
  Result run(const std::string& sql, const std::vector<std::string_view>& params);
  // Runs a parameterless statement (BEGIN, COMMIT, DDL). Throws PgError.
  void exec(const std::string& sql);
  // Ends whatever transaction is open, ignoring errors: the connection is
  // either usable afterwards or broken().
  void rollback() noexcept;
  // True when no transaction is open.
  bool idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  // SQL text -> prepared statement name.
  std::unordered_map<std::string, std::string> prepared_;
  uint64_t next_name_ = 0;
};

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_CONNECTION_H
