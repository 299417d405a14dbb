#include "connection.h"

#include <cstdlib>
#include <fstream>

#include "pg_status.h"

namespace jormun::postgres {
namespace {

constexpr Oid kByteaOid = 17;  // pg_type.oid of bytea, fixed in every release
constexpr size_t kMaxPrepared = 1000;

// The password from password_env or password_file, or "" for libpq's own
// sources (PGPASSWORD, ~/.pgpass). Read at each connect so a rotated
// password is picked up.
std::string password_of(const Options& options) {
  if (!options.password_env.empty()) {
    const char* value = std::getenv(options.password_env.c_str());
    if (value == nullptr)
      throw PgError(JORMUN_INVALID_ARGUMENT, FailureKind::kFinal, "",
                    "postgres: password_env names '" + options.password_env +
                        "', which is not set");
    return value;
  }
  if (!options.password_file.empty()) {
    std::ifstream in(options.password_file);
    std::string line;
    if (!in || !std::getline(in, line))
      throw PgError(JORMUN_IO_ERROR, FailureKind::kFinal, "",
                    "postgres: cannot read password_file '" + options.password_file + "'");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  return "";
}

}  // namespace

std::unique_ptr<Connection> Connection::connect(const Options& options) {
  std::vector<std::string> keys, values;
  if (!options.conninfo.empty()) {
    // With expand_dbname, a dbname holding a connection string or URI is
    // expanded in place; the settings after it override its parts.
    keys.push_back("dbname");
    values.push_back(options.conninfo);
  }
  for (const auto& [k, v] : options.overrides) {
    keys.push_back(k);
    values.push_back(v);
  }
  std::string password = password_of(options);
  if (!password.empty()) {
    keys.push_back("password");
    values.push_back(password);
  }
  keys.push_back("connect_timeout");
  values.push_back(std::to_string(options.connect_timeout_s));
  keys.push_back("application_name");
  values.push_back("jormundb");
  std::vector<const char*> k, v;
  for (size_t i = 0; i < keys.size(); ++i) {
    k.push_back(keys[i].c_str());
    v.push_back(values[i].c_str());
  }
  k.push_back(nullptr);
  v.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(k.data(), v.data(), 1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    PgError error = connect_error(conn);
    if (conn) PQfinish(conn);
    throw error;
  }
  // libpq prints NOTICEs ("schema ... already exists, skipping") on stderr
  // by default: the server's log is not the place for them.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<Connection> c(new Connection(conn));
  // SET is what all three databases document; a startup `options=-c ...`
  // is not.
  c->exec("SET statement_timeout = " + std::to_string(options.statement_timeout_ms));
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

Result Connection::run(const std::string& sql, const std::vector<std::string_view>& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    // Keyspace tables come and go (each DynamoDB table has its own), and
    // every one adds statements: past a bound, start over rather than keep
    // plans of dropped tables in the server for the connection's life.
    if (prepared_.size() >= kMaxPrepared) {
      exec("DEALLOCATE ALL");
      prepared_.clear();
    }
    std::string name = "j" + std::to_string(next_name_++);
    std::vector<Oid> types(params.size(), kByteaOid);
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(),
                            static_cast<int>(params.size()), types.data());
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) {
      PgError error = error_of(conn_, r, "prepare");
      PQclear(r);
      throw error;
    }
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size()), formats(params.size(), 1);
  for (size_t i = 0; i < params.size(); ++i) {
    // libpq reads a NULL value pointer as SQL NULL: an empty bytea needs a
    // real (if empty) buffer.
    values[i] = params[i].data() ? params[i].data() : "";
    lengths[i] = static_cast<int>(params[i].size());
  }
  PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                               values.data(), lengths.data(), formats.data(), 1);
  ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    PgError error = error_of(conn_, r, "statement");
    PQclear(r);
    throw error;
  }
  return Result(r);
}

void Connection::exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    PgError error = error_of(conn_, r, sql.substr(0, sql.find(' ')));
    PQclear(r);
    throw error;
  }
  PQclear(r);
}

void Connection::rollback() noexcept {
  if (broken() || idle()) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

}  // namespace jormun::postgres
