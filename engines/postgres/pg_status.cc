#include "pg_status.h"

#include <cstring>

namespace jormun::postgres {
namespace {

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// SQLSTATE (PostgreSQL's appendix A; CockroachDB and YugabyteDB use the same
// codes) to what the host should be told.
jormun_status status_of(const std::string& state) {
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014" ||
      state == "53300")
    return JORMUN_BUSY;  // contention, a timeout or too many connections: transient
  if (state == "53100") return JORMUN_NO_SPACE;
  if (state == "53200") return JORMUN_NO_MEMORY;
  if (state == "XX001" || state == "XX002") return JORMUN_CORRUPTION;
  if (state == "58030") return JORMUN_IO_ERROR;
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) return JORMUN_IO_ERROR;
  if (state == "54000") return JORMUN_INVALID_ARGUMENT;  // a value over PostgreSQL's limits
  return JORMUN_INTERNAL;
}

}  // namespace

PgError error_of(PGconn* conn, const PGresult* result, const std::string& what) {
  std::string state;
  if (result != nullptr) {
    const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (s != nullptr) state = s;
  }
  std::string text = trimmed(result ? PQresultErrorMessage(result) : nullptr);
  if (text.empty()) text = trimmed(PQerrorMessage(conn));
  const bool lost = PQstatus(conn) != CONNECTION_OK || state.rfind("08", 0) == 0 ||
                    state == "57P01" || state == "57P02" || state == "57P03";
  FailureKind kind = FailureKind::kFinal;
  if (lost) {
    kind = FailureKind::kConnection;
  } else if (state == "40001" || state == "40P01") {
    kind = FailureKind::kRetryTxn;
  }
  jormun_status status = lost && state.empty() ? JORMUN_IO_ERROR : status_of(state);
  if (lost) status = JORMUN_IO_ERROR;
  return PgError(status, kind, state,
                 "postgres: " + what + ": " + (state.empty() ? "" : state + " ") + text);
}

PgError connect_error(PGconn* conn) {
  std::string text = conn ? trimmed(PQerrorMessage(conn)) : "out of memory";
  // "too many clients" is the server saying no for now, not being down.
  jormun_status status =
      text.find("too many") != std::string::npos ? JORMUN_BUSY : JORMUN_IO_ERROR;
  return PgError(status, FailureKind::kConnection, "", "postgres: cannot connect: " + text);
}

}  // namespace jormun::postgres
