// An open table: its schema, its engine instance and the keyspaces in it.
//
// The table's base items and its secondary indexes live in keyspaces of one
// engine instance ("items", "index:<name>"), so an item and its index
// entries change in one atomic batch. Thread-safe: many requests use one
// Table at once.
//
// Schema changes (UpdateTable) install a new immutable TableSchema version.
// Every version stays alive until the Table is destroyed, so the references
// schema() and find_index() hand out remain valid for the Table's lifetime;
// a caller sees the version that was current when it asked. Installing a
// version waits for in-flight write_item calls, so each write maintains the
// indexes of exactly one version.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <jormun/engine.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "model/attribute_value.h"
#include "storage/full_disk.h"
#include "storage/group_commit.h"
#include "storage/lock_manager.h"
#include "storage/table_schema.h"

namespace jormun::storage {

class Table {
 public:
  // Opens (creating if needed) the keyspaces of `schema` in `engine`.
  Table(TableSchema schema, std::unique_ptr<host::Instance> engine);
  // Stops running backfills and waits for them.
  ~Table();

  // The current schema version (see the class comment for its lifetime).
  const TableSchema& schema() const { return *current_.load(); }
  host::Instance& engine() { return *engine_; }
  host::Keyspace items() const { return items_; }
  LockManager& locks() { return locks_; }

  // The index of that name in the current schema, or null. Check
  // IndexSchema::queryable() before reading it.
  const IndexSchema* find_index(std::string_view name) const;
  // The keyspace holding `index`'s entries ("index:<name>").
  // REQUIRES: `index` is in the current schema and not being deleted.
  host::Keyspace index_keyspace(const IndexSchema& index) const;

  // Installs `schema` as the current version: opens the keyspaces of indexes
  // it adds and invalidates cached statistics. Does not drop keyspaces; see
  // drop_index_keyspace. Waits for in-flight write_item calls.
  void set_schema(TableSchema schema);
  // Drops the keyspace of an index that the current schema marks kDeleting
  // (so no write touches it any more).
  void drop_index_keyspace(const std::string& name);

  // The item stored under an engine key, or nullopt.
  std::optional<model::Item> get(std::string_view key,
                                 const host::Snapshot* snapshot = nullptr);
  // The same item in its stored form (model/item_codec.h), for a reader
  // that does not need the tree; false when absent.
  bool get_stored(std::string_view key, std::string* stored);
  // Stores `item` under the engine key `key` (nullptr deletes it). `old` is
  // the item stored now, read under the item's lock, or nullptr when absent;
  // it must be given whenever needs_old_image() is true. The item's index
  // entries change in the same atomic batch: the old entry is deleted when
  // its key changes, the new one written.
  void write_item(const std::string& key, const model::Item* old,
                  const model::Item* item);
  // A write without the old image: done and true only when the current
  // schema has no index, checked atomically with the write so that an index
  // created meanwhile cannot miss it. On false the caller must lock the item,
  // read it and use write_item.
  bool write_item_blind(const std::string& key, const model::Item* item);

  // True when write_item needs the stored item, so writers must lock and read
  // it first even when the operation itself would not.
  bool needs_old_image() const { return !schema().indexes.empty(); }

  // Starts filling index `name` (kCreating in the current schema) from the
  // base items on a background thread. An earlier backfill of that name (of
  // an index since deleted) is asked to stop but not waited for, so this may
  // be called under locks its completion takes. Calls `done` from the thread
  // once every item has its entry, with the thread's stop token: `done` must
  // recheck it under the lock it serialises start_backfill with, since a stop
  // may be requested while it waits for that lock.
  void start_backfill(const std::string& name, std::function<void(std::stop_token)> done);
  // Stops all backfills and waits for them; later ones are refused.
  void stop_backfills();

  // ItemCount and TableSizeBytes for DescribeTable, for the table and each
  // index. Like DynamoDB, which refreshes them about every six hours, the
  // figures may lag writes: they are recomputed by a scan when older than
  // kStatsMaxAge or when the schema changed.
  struct Counts {
    uint64_t item_count = 0;
    uint64_t size_bytes = 0;
  };
  struct Stats : Counts {
    std::vector<std::pair<std::string, Counts>> indexes;  // by index name
    const Counts* index(std::string_view name) const;
  };
  Stats stats();
  // The figures stats() computed last (zeros before the first), without a
  // scan.
  Stats cached_stats();
  static constexpr std::chrono::seconds kStatsMaxAge{5};

 private:
  void open_index_keyspaces(const TableSchema& schema);
  void add_index_entries(const TableSchema& schema, const model::Item* old,
                         const model::Item* item, host::WriteBatch* batch) const;
  // Writes the entry of every base item into index `name`; false when
  // stopped or when the index stopped being kCreating. A full disk pauses
  // it until writes succeed again.
  bool backfill(const std::string& name, std::stop_token stop);
  // Writes the entry of the item at `key` (none when it is gone or not in
  // the index) under the item's lock; false when the index stopped being
  // kCreating.
  bool backfill_item(const std::string& name, const std::string& key);
  Counts count(host::Keyspace ks);
  // Writes `batch`; on a durable table synced, through the group commit when
  // the engine does not share syncs itself. A full disk is an ApiError
  // (full_disk.h).
  void commit(host::WriteBatch batch);

  std::unique_ptr<host::Instance> engine_;
  bool durable_ = false;                     // every write synced
  std::optional<GroupCommit> group_commit_;  // durable, on engines that need it
  FullDisk full_disk_;
  host::Keyspace items_;
  LockManager locks_;

  // Held shared by write_item, exclusively by set_schema and
  // drop_index_keyspace; guards versions_ and index_keyspaces_.
  mutable std::shared_mutex write_gate_;
  std::vector<std::unique_ptr<const TableSchema>> versions_;
  std::atomic<const TableSchema*> current_{nullptr};
  std::map<std::string, host::Keyspace, std::less<>> index_keyspaces_;

  std::mutex stats_mu_;
  std::optional<std::chrono::steady_clock::time_point> stats_time_;
  Stats stats_;

  std::mutex backfill_mu_;
  bool backfills_stopped_ = false;
  std::map<std::string, std::jthread> backfills_;
  std::vector<std::jthread> retired_backfills_;  // stopping; joined by stop_backfills
};

}  // namespace jormun::storage
