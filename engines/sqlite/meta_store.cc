#include "meta_store.h"

#include <jormun/plugin.hpp>

namespace jormun::sqlite {
namespace {

// DO NOT CHANGE: on disk. Bump kFormatVersion when the layout of any file
// of an instance changes incompatibly.
constexpr int64_t kFormatVersion = 1;

constexpr const char* kMetaSchema =
    "CREATE TABLE IF NOT EXISTS settings("
    "  name BLOB PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS keyspaces("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, name BLOB NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS dropped(id INTEGER PRIMARY KEY);";

}  // namespace

MetaStore::MetaStore(const std::string& path, int busy_timeout_ms)
    : conn_(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms) {
  conn_.enable_wal();
  // Opened with every reopen of the instance, whatever it is used for.
  conn_.keep_wal_files();
  conn_.set_synchronous(2);
  conn_.exec(kMetaSchema);
  get_setting_ = conn_.prepare("SELECT value FROM settings WHERE name = ?1");
  put_setting_ = conn_.prepare("INSERT OR REPLACE INTO settings (name, value) VALUES (?1, ?2)");
  find_keyspace_ = conn_.prepare("SELECT id FROM keyspaces WHERE name = ?1");
  insert_keyspace_ = conn_.prepare("INSERT INTO keyspaces (name) VALUES (?1)");
  list_keyspaces_ = conn_.prepare("SELECT id FROM keyspaces ORDER BY id");
  delete_keyspace_ = conn_.prepare("DELETE FROM keyspaces WHERE id = ?1");
  insert_dropped_ = conn_.prepare("INSERT OR IGNORE INTO dropped (id) VALUES (?1)");
  delete_dropped_ = conn_.prepare("DELETE FROM dropped WHERE id = ?1");
  list_dropped_ = conn_.prepare("SELECT id FROM dropped ORDER BY id");
}

std::optional<uint32_t> MetaStore::stored_partitions() {
  auto setting = [&](std::string_view name) -> std::optional<int64_t> {
    ResetOnExit reset(*get_setting_);
    get_setting_->bind(1, name);
    if (!get_setting_->step()) return std::nullopt;
    return get_setting_->integer(0);
  };
  auto version = setting("format_version");
  auto partitions = setting("partitions");
  if (!version && !partitions) return std::nullopt;
  if (version != kFormatVersion)
    throw plugin::Error(JORMUN_CORRUPTION,
                        "sqlite: " + conn_.path() + " has format version " +
                            (version ? std::to_string(*version) : "(none)") +
                            ", this engine reads version " +
                            std::to_string(kFormatVersion));
  if (!partitions)
    throw plugin::Error(JORMUN_CORRUPTION,
                        "sqlite: " + conn_.path() + " has no partition count");
  return static_cast<uint32_t>(*partitions);
}

void MetaStore::store_partitions(uint32_t count) {
  Transaction txn(conn_);
  put_setting_->bind(1, std::string_view("format_version")).bind(2, kFormatVersion).execute();
  put_setting_->bind(1, std::string_view("partitions")).bind(2, int64_t{count}).execute();
  txn.commit();
}

std::optional<int64_t> MetaStore::find_keyspace(std::string_view name) {
  ResetOnExit reset(*find_keyspace_);
  find_keyspace_->bind(1, name);
  if (!find_keyspace_->step()) return std::nullopt;
  return find_keyspace_->integer(0);
}

int64_t MetaStore::create_keyspace(std::string_view name) {
  insert_keyspace_->bind(1, name).execute();
  return sqlite3_last_insert_rowid(conn_.get());
}

std::vector<int64_t> MetaStore::keyspace_ids() { return ids(*list_keyspaces_); }

void MetaStore::begin_drop(int64_t id) {
  Transaction txn(conn_);
  delete_keyspace_->bind(1, id).execute();
  insert_dropped_->bind(1, id).execute();
  txn.commit();
}

void MetaStore::end_drop(int64_t id) { delete_dropped_->bind(1, id).execute(); }

std::vector<int64_t> MetaStore::pending_drops() { return ids(*list_dropped_); }

void MetaStore::backup_to(const std::string& dest_path, int busy_timeout_ms) {
  conn_.backup_to(dest_path, busy_timeout_ms);
}

std::vector<int64_t> MetaStore::ids(Statement& query) {
  ResetOnExit reset(query);
  std::vector<int64_t> out;
  while (query.step()) out.push_back(query.integer(0));
  return out;
}

}  // namespace jormun::sqlite
