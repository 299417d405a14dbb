// pg_status.h -- what a PostgreSQL failure means for the engine and its host.
//
// Every libpq failure becomes a PgError: a plugin::Error (so the adaptor's
// firewall hands the host its status and message) that also says how the
// engine may react: run the transaction again (serialization failure,
// deadlock), take another connection (this one is gone), or give up.
#ifndef JORMUN_POSTGRES_PG_STATUS_H
#define JORMUN_POSTGRES_PG_STATUS_H

#include <libpq-fe.h>

#include <jormun/plugin.hpp>
#include <string>

namespace jormun::postgres {

enum class FailureKind {
  kFinal,       // retrying the same statements will not help
  kRetryTxn,    // SQLSTATE 40001/40P01: run the whole transaction again
  kConnection,  // the connection (or the server) is gone: retry on a new one
};

class PgError : public plugin::Error {
 public:
  PgError(jormun_status status, FailureKind kind, std::string sqlstate, std::string message)
      : plugin::Error(status, std::move(message)), kind_(kind), sqlstate_(std::move(sqlstate)) {}
  FailureKind kind() const { return kind_; }
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  FailureKind kind_;
  std::string sqlstate_;
};

// The error for a failed `result` (may be NULL: libpq could not even make
// one) of a statement on `conn`; `what` says what was being done.
PgError error_of(PGconn* conn, const PGresult* result, const std::string& what);

// The error for a connection attempt that failed.
PgError connect_error(PGconn* conn);

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_PG_STATUS_H
