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
  storage::Table* table;
  std::string key;
  const std::optional<model::Item>* image;
};

std::string key_of(const storage::TableSchema& schema, const model::Item& keys) {
  const model::AttributeValue& pk = keys.at(schema.partition_key.name);
  const model::AttributeValue* sk =
      schema.sort_key ? &keys.at(schema.sort_key->name) : nullptr;
  return model::base_key(pk, sk);
}

// Stages `changes` in the write set's lock order and then the `positions`,
// then commits (through `log` when they span several tables); again from
// the start on a lock timeout.
void commit_changes(std::vector<Change> changes,
                    const std::vector<std::pair<storage::Table*, uint64_t>>& positions,
                    storage::TransactionLog* log = nullptr) {
  // Lock order first; then by key, so that an item's changes are next to
  // each other (keys share lock stripes), in their log order.
  std::stable_sort(changes.begin(), changes.end(), [&](const Change& a, const Change& b) {
    if (storage::WriteSet::precedes(*a.table, a.key, *b.table, b.key)) return true;
    if (storage::WriteSet::precedes(*b.table, b.key, *a.table, a.key)) return false;
    return a.table == b.table && a.key < b.key;
  });
  // Several units of a table in one commit may change an item more than
  // once: the last change stands.
  auto same_item = [](const Change& a, const Change& b) {
    return a.table == b.table && a.key == b.key;
  };
  std::vector<Change> last;
  last.reserve(changes.size());
  for (size_t i = 0; i < changes.size(); ++i)
    if (i + 1 == changes.size() || !same_item(changes[i], changes[i + 1]))
      last.push_back(std::move(changes[i]));
  changes = std::move(last);
  for (int attempt = 1;; ++attempt) {
    try {
      storage::WriteSet set(log);
      for (const Change& c : changes)
        set.stage(*c.table, c.key, storage::Mutation{false, [&c](const model::Item*) {
                                                       return *c.image;
                                                     }});
      for (const auto& [table, next] : positions) set.stage_replica_position(*table, next);
      set.commit();
      return;
    } catch (const storage::LockTimeout&) {
      if (attempt == kLockAttempts) throw;
    }
  }
}

}  // namespace

void apply_units(storage::TransactionLog& log, const std::vector<TableUnit>& units) {
  std::vector<Change> changes;
  std::vector<std::pair<storage::Table*, uint64_t>> positions;
  for (const TableUnit& u : units) {
    const storage::TableSchema& schema = u.table->schema();
    for (const LogEntry& e : u.unit->entries)
      changes.push_back({u.table, key_of(schema, e.record.keys), &e.record.new_image});
    // A table's units come in order: its last one's position stands.
    if (!positions.empty() && positions.back().first == u.table)
      positions.back().second = u.unit->next;
    else
      positions.emplace_back(u.table, u.unit->next);
  }
  commit_changes(std::move(changes), positions, &log);
}

void store_items(storage::Table& table, const std::vector<model::Item>& items) {
  const storage::TableSchema& schema = table.schema();
  std::vector<std::optional<model::Item>> images(items.begin(), items.end());
  std::vector<Change> changes;
  changes.reserve(items.size());
  for (const auto& image : images)
    changes.push_back({&table, key_of(schema, *image), &image});
  commit_changes(std::move(changes), {});
}

void set_position(storage::Table& table, uint64_t next) {
  commit_changes({}, {{&table, next}});
}

}  // namespace jormun::replication
