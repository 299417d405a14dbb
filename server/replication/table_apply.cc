#include "replication/table_apply.h"

#include <algorithm>
#include <optional>
#include <string>

#include "model/key_codec.h"
#include "storage/write_set.h"

namespace jormun::replication {
namespace {

// A replica's table takes no client writes, but its index backfills take
// item locks too: a lock wait that times out is tried again.
constexpr int kLockAttempts = 20;

struct Change {
  std::string key;
  const std::optional<model::Item>* image;
};

std::string key_of(const storage::TableSchema& schema, const model::Item& keys) {
  const model::AttributeValue& pk = keys.at(schema.partition_key.name);
  const model::AttributeValue* sk =
      schema.sort_key ? &keys.at(schema.sort_key->name) : nullptr;
  return model::base_key(pk, sk);
}

// Stages `changes` in the write set's lock order and, when set, the
// position, then commits; again from the start on a lock timeout.
void commit_changes(storage::Table& table, std::vector<Change> changes,
                    std::optional<uint64_t> position) {
  std::stable_sort(changes.begin(), changes.end(), [&](const Change& a, const Change& b) {
    return storage::WriteSet::precedes(table, a.key, table, b.key);
  });
  for (int attempt = 1;; ++attempt) {
    try {
      storage::WriteSet set;
      for (const Change& c : changes)
        set.stage(table, c.key, storage::Mutation{false, [&c](const model::Item*) {
                                                    return *c.image;
                                                  }});
      if (position) set.stage_replica_position(table, *position);
      set.commit();
      return;
    } catch (const storage::LockTimeout&) {
      if (attempt == kLockAttempts) throw;
    }
  }
}

}  // namespace

void apply_unit(storage::Table& table, const LogUnit& unit) {
  const storage::TableSchema& schema = table.schema();
  std::vector<Change> changes;
  changes.reserve(unit.entries.size());
  for (const LogEntry& e : unit.entries)
    changes.push_back({key_of(schema, e.record.keys), &e.record.new_image});
  commit_changes(table, std::move(changes), unit.next);
}

void store_items(storage::Table& table, const std::vector<model::Item>& items) {
  const storage::TableSchema& schema = table.schema();
  std::vector<std::optional<model::Item>> images(items.begin(), items.end());
  std::vector<Change> changes;
  changes.reserve(items.size());
  for (const auto& image : images) changes.push_back({key_of(schema, *image), &image});
  commit_changes(table, std::move(changes), std::nullopt);
}

void set_position(storage::Table& table, uint64_t next) {
  commit_changes(table, {}, next);
}

}  // namespace jormun::replication
