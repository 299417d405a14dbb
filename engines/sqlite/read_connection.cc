#include "read_connection.h"

namespace jormun::sqlite {
namespace {

// The range query for one combination, assembled from constant fragments.
std::string range_sql(uint32_t lower_kind, uint32_t upper_kind, bool reverse) {
  static const char* const lower[] = {"", " AND key >= ?2", " AND key > ?2"};
  static const char* const upper[] = {"", " AND key <= ?3", " AND key < ?3"};
  std::string sql = "SELECT key, value FROM entries WHERE ks = ?1";
  sql += lower[lower_kind];
  sql += upper[upper_kind];
  sql += reverse ? " ORDER BY key DESC" : " ORDER BY key";
  return sql;
}

}  // namespace

ReadConnection::ReadConnection(const std::string& path, int busy_timeout_ms,
                               int64_t mmap_bytes)
    : conn_(path, SQLITE_OPEN_READONLY, busy_timeout_ms),
      get_(conn_.prepare("SELECT value FROM entries WHERE ks = ?1 AND key = ?2")) {
  conn_.set_mmap_size(mmap_bytes);
}

bool point_get(Statement& get, int64_t keyspace, std::string_view key, jormun_value_fn fn,
               void* ctx) {
  ResetOnExit reset(get);
  get.bind(1, keyspace).bind(2, key);
  if (!get.step()) return false;
  std::string_view value = get.blob(0);
  fn(ctx, reinterpret_cast<const uint8_t*>(value.data()), value.size());
  return true;
}

bool ReadConnection::get(int64_t keyspace, std::string_view key, jormun_value_fn fn,
                         void* ctx) {
  return point_get(*get_, keyspace, key, fn, ctx);
}

Statement& ReadConnection::range(uint32_t lower_kind, uint32_t upper_kind, bool reverse) {
  auto& slot = ranges_[(lower_kind * 3 + upper_kind) * 2 + (reverse ? 1 : 0)];
  if (!slot) slot = conn_.prepare(range_sql(lower_kind, upper_kind, reverse));
  return *slot;
}

}  // namespace jormun::sqlite
