#include "options.h"

#include <libpq-fe.h>

#include <string>

namespace jormun::postgres {
namespace {

[[noreturn]] void bad_value(const std::string& key, const std::string& value,
                            const std::string& expected) {
  throw plugin::Error(JORMUN_INVALID_ARGUMENT, "postgres: option '" + key +
                                                   "': bad value '" + value +
                                                   "' (expected " + expected + ")");
}

uint64_t parse_count(const std::string& key, const std::string& value, uint64_t min,
                     uint64_t max, const char* expected) {
  auto n = plugin::parse_decimal<uint64_t>(value, min, max);
  if (!n) bad_value(key, value, expected);
  return *n;
}

// The schema name goes into SQL text (quoted, but still): keep it to plain
// lower-case identifiers, the ones every PostgreSQL-protocol database folds
// and quotes alike.
bool plain_identifier(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  if (!(s[0] >= 'a' && s[0] <= 'z') && s[0] != '_') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// A connection string libpq can parse and that holds no password.
void check_conninfo(const std::string& value) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(value.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = error ? error : "unparsable";
    if (error) PQfreemem(error);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    bad_value("conninfo", "...", "a libpq connection string: " + why);
  }
  bool has_password = false;
  for (PQconninfoOption* o = parsed; o->keyword != nullptr; ++o)
    if (std::string(o->keyword) == "password" && o->val != nullptr && *o->val) has_password = true;
  PQconninfoFree(parsed);
  // The value is not echoed: it holds a password.
  if (has_password)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "postgres: option 'conninfo' holds a password; use password_env "
                        "or password_file instead");
}

bool lower_hex(const std::string& s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string Options::pool_key() const {
  // NUL separates the parts: none of them can hold one.
  std::string key = conninfo;
  for (const auto& [k, v] : overrides) key += std::string(1, '\0') + k + "=" + v;
  key += std::string(1, '\0') + password_env + '\0' + password_file + '\0' + schema +
         '\0' + std::to_string(pool_size) + '\0' + std::to_string(statement_timeout_ms) +
         '\0' + std::to_string(connect_timeout_s);
  return key;
}

Options parse_options(const plugin::Options& raw) {
  Options options;
  for (const auto& [key, value] : raw) {
    if (key == "conninfo") {
      check_conninfo(value);
      options.conninfo = value;
    } else if (key == "host" || key == "dbname" || key == "user") {
      if (value.empty()) bad_value(key, value, "a non-empty string");
      options.overrides.emplace_back(key, value);
    } else if (key == "port") {
      parse_count(key, value, 1, 65535, "a port number");
      options.overrides.emplace_back(key, value);
    } else if (key == "password_env") {
      if (value.empty()) bad_value(key, value, "an environment variable name");
      options.password_env = value;
    } else if (key == "password_file") {
      if (value.empty()) bad_value(key, value, "a file path");
      options.password_file = value;
    } else if (key == "schema") {
      if (!plain_identifier(value))
        bad_value(key, value, "a lower-case identifier of up to 40 characters");
      options.schema = value;
    } else if (key == "instance_id") {
      if (!lower_hex(value, 16, 32))
        bad_value(key, value, "16 to 32 lower-case hex digits");
      options.instance_id = value;
    } else if (key == "pool_size") {
      options.pool_size =
          static_cast<uint32_t>(parse_count(key, value, 1, 256, "an integer from 1 to 256"));
    } else if (key == "statement_timeout_ms") {
      options.statement_timeout_ms =
          parse_count(key, value, 0, uint64_t{1} << 31, "an integer >= 0");
    } else if (key == "connect_timeout_s") {
      options.connect_timeout_s =
          static_cast<uint32_t>(parse_count(key, value, 1, 3600, "an integer from 1 to 3600"));
    } else {
      throw plugin::Error(JORMUN_INVALID_ARGUMENT, "postgres: unknown option '" + key + "'");
    }
  }
  if (!options.password_env.empty() && !options.password_file.empty())
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "postgres: option 'password_file': give password_env or "
                        "password_file, not both");
  return options;
}

}  // namespace jormun::postgres
