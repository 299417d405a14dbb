#include "keyspace_names.h"

#include <charconv>
#include <cstdint>
#include <memory>

#include "key_store.h"
#include "lmdb_status.h"

namespace jormun::lmdb {
namespace {

// DO NOT CHANGE: both are on disk.
constexpr const char* kDirectory = "jormun.names";
constexpr char kLongPrefix = 'l';

constexpr char kHex[] = "0123456789abcdef";

std::string id_key(uint64_t id) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, id >>= 8) key[i] = static_cast<char>(id & 0xff);
  return key;
}

uint64_t id_of_key(std::string_view key) {
  uint64_t id = 0;
  for (unsigned char c : key) id = id << 8 | c;
  return id;
}

std::string long_database(uint64_t id) { return kLongPrefix + std::to_string(id); }

// The directory's handle in `txn`, or nullopt when it does not exist and
// `create` is false. Opened per transaction: a handle opened in one that
// aborts (map full, then retried) is closed again by LMDB.
std::optional<MDB_dbi> directory(MDB_txn* txn, bool create) {
  MDB_dbi dbi = 0;
  int rc = ::mdb_dbi_open(txn, kDirectory, create ? MDB_CREATE : 0, &dbi);
  if (rc == MDB_NOTFOUND && !create) return std::nullopt;
  check(rc, "open keyspace name directory");
  return dbi;
}

struct CursorCloser {
  void operator()(MDB_cursor* cursor) const { ::mdb_cursor_close(cursor); }
};

}  // namespace

std::string direct_database(std::string_view keyspace) {
  std::string out = "k";
  for (unsigned char c : keyspace) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::string> direct_keyspace(std::string_view db) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (db.size() < 3 || db.front() != 'k' || db.size() % 2 == 0) return {};
  std::string name;
  for (size_t i = 1; i < db.size(); i += 2) {
    int hi = digit(db[i]), lo = digit(db[i + 1]);
    if (hi < 0 || lo < 0) return {};
    name.push_back(static_cast<char>(hi << 4 | lo));
  }
  return name;
}

void list_long_names(
    MDB_txn* txn,
    const std::function<void(std::string keyspace, std::string db)>& found) {
  std::optional<MDB_dbi> dir = directory(txn, false);
  if (!dir) return;
  MDB_cursor* raw = nullptr;
  check(::mdb_cursor_open(txn, *dir, &raw), "open keyspace name cursor");
  std::unique_ptr<MDB_cursor, CursorCloser> cursor(raw);
  MDB_val k{}, v{};
  int rc = ::mdb_cursor_get(raw, &k, &v, MDB_FIRST);
  for (; rc == 0; rc = ::mdb_cursor_get(raw, &k, &v, MDB_NEXT))
    found(std::string(view(v)), long_database(id_of_key(view(k))));
  if (rc != MDB_NOTFOUND) check(rc, "list keyspace names");
}

std::string add_long_name(MDB_txn* txn, std::string_view keyspace) {
  MDB_dbi dir = *directory(txn, true);
  MDB_cursor* raw = nullptr;
  check(::mdb_cursor_open(txn, dir, &raw), "open keyspace name cursor");
  std::unique_ptr<MDB_cursor, CursorCloser> cursor(raw);
  MDB_val k{}, v{};
  int rc = ::mdb_cursor_get(raw, &k, &v, MDB_LAST);
  if (rc != MDB_NOTFOUND) check(rc, "read last keyspace id");
  // Ids are never reused while their record lives; a dropped last id may
  // come back, which is harmless since its database was dropped with it.
  uint64_t id = rc == MDB_NOTFOUND ? 1 : id_of_key(view(k)) + 1;
  cursor.reset();
  std::string key = id_key(id);
  k = mdb_val(key);
  v = mdb_val(keyspace);
  check(::mdb_put(txn, dir, &k, &v, MDB_NOOVERWRITE), "record keyspace name");
  return long_database(id);
}

void remove_long_name(MDB_txn* txn, std::string_view db) {
  uint64_t id = 0;
  const char* end = db.data() + db.size();
  auto [ptr, ec] = std::from_chars(db.data() + 1, end, id);
  if (db.empty() || db.front() != kLongPrefix || ec != std::errc() || ptr != end)
    throw plugin::Error(JORMUN_INTERNAL,
                        "lmdb: '" + std::string(db) + "' is not a long-named database");
  std::optional<MDB_dbi> dir = directory(txn, false);
  if (!dir) return;
  std::string key = id_key(id);
  MDB_val k = mdb_val(key);
  int rc = ::mdb_del(txn, *dir, &k, nullptr);
  if (rc != MDB_NOTFOUND) check(rc, "remove keyspace name");
}

}  // namespace jormun::lmdb
