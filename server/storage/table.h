// An open table: its schema, its engine instance and the keyspaces in it.
//
// The table's base items and (later) its indexes live in keyspaces of one
// engine instance, so an item and its index entries change in one atomic
// batch. Thread-safe: many requests use one Table at once.
#pragma once

#include <jormun/engine.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "storage/lock_manager.h"
#include "storage/table_schema.h"

namespace jormun::storage {

class Table {
 public:
  // Opens (creating if needed) the keyspaces of `schema` in `engine`.
  Table(TableSchema schema, std::unique_ptr<host::Instance> engine);

  const TableSchema& schema() const { return schema_; }
  host::Instance& engine() { return *engine_; }
  host::Keyspace items() const { return items_; }
  LockManager& locks() { return locks_; }

  // The item stored under an engine key, or nullopt.
  std::optional<model::Item> get(std::string_view key,
                                 const host::Snapshot* snapshot = nullptr);
  // Stores `item` under the engine key `key` (nullptr deletes it). `old` is
  // the item stored now, read under the item's lock, or nullptr when absent;
  // it must be given whenever needs_old_image() is true. Everything that
  // depends on the item (index entries) changes in the same atomic batch.
  void write_item(const std::string& key, const model::Item* old, const model::Item* item);

  // True when write_item needs the stored item, so writers must lock and read
  // it first even when the operation itself would not.
  bool needs_old_image() const { return false; }

  // ItemCount and TableSizeBytes for DescribeTable. Like DynamoDB, which
  // refreshes them about every six hours, the figures may lag writes: they
  // are recomputed by a scan when older than kStatsMaxAge.
  struct Stats {
    uint64_t item_count = 0;
    uint64_t size_bytes = 0;
  };
  Stats stats();
  static constexpr std::chrono::seconds kStatsMaxAge{5};

 private:
  TableSchema schema_;
  std::unique_ptr<host::Instance> engine_;
  host::Keyspace items_;
  LockManager locks_;
  std::mutex stats_mu_;
  std::optional<std::chrono::steady_clock::time_point> stats_time_;
  Stats stats_;
};

}  // namespace jormun::storage
