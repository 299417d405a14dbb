// Catalog's restores (storage/catalog.h): RestoreTableFromBackup and
// RestoreTableToPointInTime fill a new table's folder on a background
// thread (storage/table_restore.h) and list it as create() does; a read
// replica's copy (create_filled) fills it on the caller's thread.
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <thread>

#include "common/api_error.h"
#include "common/guarded.h"
#include "common/log.h"
#include "storage/catalog.h"
#include "storage/change_log.h"
#include "storage/engine_services.h"
#include "storage/table_dir.h"
#include "storage/table_restore.h"

namespace fs = std::filesystem;

namespace jormun::storage {

TableSchema Catalog::restore(TableSchema schema, std::shared_ptr<const Backup> backup,
                             std::optional<Replay> replay) {
  std::unique_lock lock(mu_);
  if (tables_.count(schema.name))
    throw ApiError("TableAlreadyExistsException", "Table already exists: " + schema.name);
  if (dropping_.count(schema.name) || restoring_.count(schema.name))
    throw ApiError("TableInUseException",
                   "Table is being created or deleted: " + schema.name);
  std::string dir = begin_create_locked(schema);
  restoring_.emplace(schema.name, schema);
  std::erase_if(restore_threads_, [](const RestoreThread& t) { return t.done->load(); });
  auto done = std::make_shared<std::atomic<bool>>(false);
  try {
    restore_threads_.push_back(
        {done, std::jthread([this, schema, dir, backup, replay, done](std::stop_token stop) {
           run_restore(schema, dir, backup, replay, stop);
           done->store(true);
         })});
  } catch (...) {
    restoring_.erase(schema.name);
    remove_table_dir(dir);
    throw;
  }
  return schema;
}

void Catalog::run_restore(TableSchema schema, std::string dir,
                          std::shared_ptr<const Backup> backup,
                          std::optional<Replay> replay, std::stop_token stop) noexcept {
  const bool restored = guarded("restoring table " + schema.name, [&] {
    BackupStore& store = replay ? *pitr_checkpoints_ : *backups_;
    fill_restored_table(engines_, backup->table, store.checkpoint_dir(backup->id), schema,
                        dir, store.scratch_dir(schema.id), stop);
    if (replay) {
      replay_into(schema, dir, *replay, stop);
      replay.reset();  // the source table is not held longer than needed
    }
    if (schema.restore) schema.restore->in_progress = false;
    std::unique_lock lock(mu_);
    if (stop.stop_requested()) throw std::runtime_error("the server is stopping");
    restoring_.erase(schema.name);
    auto table = finish_create_locked(schema, dir);
    // An index the backup caught backfilling is built again.
    advance_indexes_locked(*table, nullptr);
  });
  if (restored) return;
  guarded("dropping the unfinished restore of table " + schema.name, [&] {
    std::unique_lock lock(mu_);
    restoring_.erase(schema.name);
    std::error_code ec;
    if (!tables_.count(schema.name) && fs::exists(dir, ec)) remove_table_dir(dir);
  });
}

void Catalog::replay_into(const TableSchema& schema, const std::string& dir,
                          const Replay& replay, std::stop_token stop) {
  // A private Table on the new folder, so the replay goes through the write
  // path (index entries included) before anyone can see the table. Unsynced
  // writes, then one sync: the table is not listed until this returns.
  TableSchema writing = schema;
  writing.durable = false;
  writing.pitr = {};
  auto instance = host::Instance::open(engines_.library(schema.plugin), dir,
                                       schema.engine_options);
  auto target = std::make_shared<Table>(std::move(writing), std::move(instance));
  const uint64_t applied =
      replay_change_log(*replay.source, replay.from, ~uint64_t{0}, replay.up_to_ms, *target,
                        stop);
  target->sync();
  log::info("table " + schema.name + ": " + std::to_string(applied) +
            " changes replayed from the change log of " + replay.source->schema().name);
}

std::shared_ptr<Table> Catalog::create_filled(TableSchema schema,
                                              const std::function<void(Table&)>& fill) {
  std::string dir;
  std::shared_ptr<Table> old;  // the listed copy this one replaces
  {
    std::unique_lock lock(mu_);
    auto listed = tables_.find(schema.name);
    if (listed != tables_.end() && listed->second->schema().id == schema.id &&
        !migrations_.count(schema.name)) {
      old = listed->second;
      schema.folder = fresh_folder(schema.name);
    } else if (listed != tables_.end() || dropping_.count(schema.name) ||
               restoring_.count(schema.name)) {
      throw ApiError::resource_in_use("Table already exists: " + schema.name);
    }
    dir = begin_create_locked(schema, true);
    if (!old) restoring_.emplace(schema.name, schema);
  }
  try {
    // Counted from zero by the private table's writes, and saved in the
    // folder as it closes, where the listed table finds them.
    save_counts(dir, zero_stats(schema));
    {
      auto lib = engines_.library(schema.plugin);
      auto filling = std::make_shared<Table>(
          schema, lib,
          [lib, dir, options = schema.engine_options] {
            return host::Instance::open(lib, dir, options, engine_services());
          },
          nullptr, Table::FirstUse{}, dir);
      fill(*filling);
      filling->sync();
    }
    std::unique_lock lock(mu_);
    if (!old) {
      restoring_.erase(schema.name);
      return finish_create_locked(schema, dir);
    }
    auto listed = tables_.find(schema.name);
    if (listed == tables_.end() || listed->second != old)
      throw std::runtime_error("table " + schema.name + " changed while it was copied again");
    auto table = replace_locked(listed->second, schema, dir);
    lock.unlock();
    // Requests holding the old copy finish on it first, each for one request.
    const std::string old_dir = table_dir(old->schema());
    finish_drop(std::move(old), old_dir, TableSchema{});
    return table;
  } catch (...) {
    std::unique_lock lock(mu_);
    if (!old) restoring_.erase(schema.name);
    std::error_code ec;
    auto listed = tables_.find(schema.name);
    const bool kept = listed != tables_.end() && listed->second->schema().folder == schema.folder;
    if (!kept && fs::exists(dir, ec)) remove_table_dir(dir);
    throw;
  }
}

std::shared_ptr<Table> Catalog::replace_locked(std::shared_ptr<Table>& listed,
                                               const TableSchema& schema,
                                               const std::string& dir) {
  const std::shared_ptr<Table> old = listed;
  const std::string old_dir = table_dir(old->schema());
  // The drop marker first: once the catalog names the new folder, start-up
  // knows the old one for the leftover of a replaced copy (and, while the
  // catalog still names it, takes the marker away).
  write_marker(old_dir, kDeletingMarker);
  std::shared_ptr<Table> table;
  try {
    table = open_table(schema);
    table->lease();
    listed = table;
    persist_locked();
  } catch (...) {
    listed = old;
    table.reset();
    remove_marker(old_dir, kDeletingMarker);
    throw;
  }
  remove_marker(dir, kCreatingMarker);
  old->mark_moved();
  log::info("table " + schema.name + " replaced by its new copy in " + dir);
  return table;
}

std::optional<TableSchema> Catalog::restoring(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = restoring_.find(name);
  if (it == restoring_.end()) return std::nullopt;
  return it->second;
}

}  // namespace jormun::storage
