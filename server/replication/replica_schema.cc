#include "replication/replica_schema.h"

#include <algorithm>

#include "storage/catalog_file.h"

namespace jormun::replication {
namespace {

using storage::IndexSchema;

const IndexSchema* index_named(const storage::TableSchema& s, const std::string& name) {
  auto it = std::find_if(s.indexes.begin(), s.indexes.end(),
                         [&](const IndexSchema& i) { return i.name == name; });
  return it == s.indexes.end() ? nullptr : &*it;
}

bool live(const IndexSchema& i) { return i.state != IndexSchema::State::kDeleting; }

}  // namespace

storage::TableSchema replica_schema(const storage::TableSchema& primary) {
  storage::TableSchema s = primary;
  s.engine.clear();
  s.plugin.clear();
  s.engine_options.clear();
  s.durable = false;
  s.folder.clear();
  s.old_copies.clear();
  s.migrating = false;
  s.deleted_ms = 0;
  std::erase_if(s.indexes, [](const IndexSchema& i) { return !live(i); });
  for (auto& i : s.indexes) i.state = IndexSchema::State::kActive;
  return s;
}

std::optional<storage::TableSchema> updated_replica_schema(
    const storage::TableSchema& local, const storage::TableSchema& primary) {
  storage::TableSchema s = primary;
  s.creation_time = local.creation_time;
  s.engine = local.engine;
  s.plugin = local.plugin;
  s.engine_options = local.engine_options;
  s.durable = local.durable;
  s.folder = local.folder;
  s.old_copies = local.old_copies;
  s.migrating = local.migrating;
  s.deleted_ms = 0;
  s.indexes.clear();
  for (const auto& i : primary.indexes) {
    if (!live(i)) continue;
    if (const IndexSchema* mine = index_named(local, i.name); mine && live(*mine)) {
      s.indexes.push_back(*mine);
    } else if (!mine) {
      s.indexes.push_back(i);
      s.indexes.back().state = IndexSchema::State::kCreating;
    }
    // else: ours is still being deleted; it comes back once that is done.
  }
  for (const auto& mine : local.indexes) {
    const IndexSchema* theirs = index_named(primary, mine.name);
    if (!theirs || !live(*theirs) || !live(mine)) {
      if (index_named(s, mine.name)) continue;
      s.indexes.push_back(mine);
      s.indexes.back().state = IndexSchema::State::kDeleting;
    }
  }
  if (storage::table_to_json(s) == storage::table_to_json(local)) return std::nullopt;
  return s;
}

}  // namespace jormun::replication
