// meta_store.h -- the metadata file (meta.sqlite) of an instance.
//
// Holds the settings fixed at creation (format version, partition count),
// the keyspace names and their ids, and the ids of dropped keyspaces whose
// entries are still being erased. Ids come from AUTOINCREMENT, so an id is
// never reused and entries left behind by an unfinished drop can never show
// up in a new keyspace. Always PRAGMA synchronous=FULL: writes are rare and
// a keyspace that was created must exist after a crash.
//
// Not thread-safe: the engine serialises all calls (its metadata mutex).
#ifndef JORMUN_ENGINES_SQLITE_META_STORE_H
#define JORMUN_ENGINES_SQLITE_META_STORE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connection.h"

namespace jormun::sqlite {

class MetaStore {
 public:
  MetaStore(const std::string& path, int busy_timeout_ms);

  // The partition count stored at creation, or nothing for a new instance.
  // Throws JORMUN_CORRUPTION for a format this code does not know.
  std::optional<uint32_t> stored_partitions();
  // Records the partition count of a new instance (and the format version).
  void store_partitions(uint32_t count);

  std::optional<int64_t> find_keyspace(std::string_view name);
  int64_t create_keyspace(std::string_view name);
  std::vector<int64_t> keyspace_ids();

  // In one transaction: removes the keyspace's name (it is gone from then
  // on) and records its id as a pending drop.
  void begin_drop(int64_t id);
  // Forgets a pending drop once its entries are erased everywhere.
  void end_drop(int64_t id);
  std::vector<int64_t> pending_drops();

  void backup_to(const std::string& dest_path, int busy_timeout_ms);

 private:
  std::vector<int64_t> ids(Statement& query);

  Connection conn_;
  std::unique_ptr<Statement> get_setting_;
  std::unique_ptr<Statement> put_setting_;
  std::unique_ptr<Statement> find_keyspace_;
  std::unique_ptr<Statement> insert_keyspace_;
  std::unique_ptr<Statement> list_keyspaces_;
  std::unique_ptr<Statement> delete_keyspace_;
  std::unique_ptr<Statement> insert_dropped_;
  std::unique_ptr<Statement> delete_dropped_;
  std::unique_ptr<Statement> list_dropped_;
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_META_STORE_H
