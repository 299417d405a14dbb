#include "storage/catalog.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include <sys/resource.h>

#include "common/api_error.h"
#include "common/clock.h"
#include "common/guarded.h"
#include "common/log.h"
#include "common/scope_exit.h"
#include "storage/catalog_file.h"
#include "storage/data_dir.h"
#include "storage/engine_services.h"
#include "storage/table_dir.h"
#include "storage/change_log.h"
#include "storage/table_restore.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

std::string random_uuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffull) | 0x0000000000004000ull;  // version 4
  b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // variant 1
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                static_cast<unsigned>(a & 0xffff), static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

double now_seconds() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() /
         1000.0;
}

uint64_t soft_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
  return limit.rlim_cur;
}

// Closes a table no request holds any more before its folder moves or goes:
// the instance pool may still hold a reference for a moment (it is closing
// idle tables), and the last reference, not this one, would close it.
void close_for_good(Table& table) {
  table.stop_backfills();  // they would open it again
  while (table.is_open() && !table.close_if_idle())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

Catalog::Catalog(const config::Config& config, EngineRegistry& engines)
    : config_(config),
      engines_(engines),
      catalog_path_(catalog_path(config.data_dir)),
      pool_(config.max_open_tables,
            InstancePool::budget_for_limit(soft_file_limit(), config.max_open_files)),
      backups_(std::make_unique<BackupStore>(backups_dir(config.data_dir, config.backups.dir))),
      pitr_checkpoints_(std::make_unique<BackupStore>(pitr_dir(config.data_dir))),
      started_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()) {
  if (config.replication.sync)
    replication_sync_ = std::make_unique<ReplicationSync>(
        std::chrono::milliseconds(config.replication.sync_timeout_ms));
  if (config.cluster.enabled()) open_cluster();
  for (auto& schema : shared_ ? std::vector<TableSchema>{} : prepare_data_dir(config.data_dir)) {
    if (schema.deleted_ms != 0) {
      auto table = open_table(schema, retired_dir(config.data_dir, schema.id));
      retired_.emplace(schema.id, std::pair{schema, std::move(table)});
      continue;
    }
    std::string name = schema.name;
    tables_.emplace(name, open_table(schema));
  }
  recover_transactions();
  // Without background work, index work a crash interrupted waits for a
  // server that has it; transactions are recovered all the same (a reader
  // must not see half of one).
  if (!config.background_work) return;
  std::unique_lock lock(mu_);
  // In a cluster, index work belongs to the front end that asked for it; a
  // backfill whose front end stopped is taken over by the poll thread once
  // its lease runs out (take_over_backfills_locked).
  if (!shared_)
    for (const auto& [name, table] : tables_) advance_indexes_locked(*table, nullptr);
  start_recounts_locked();
  if (shared_)
    poll_thread_ = std::jthread([this](std::stop_token stop) { poll_cluster(stop); });
}

void Catalog::start_recounts_locked() {
  std::vector<std::shared_ptr<Table>> unknown;
  for (const auto& [name, table] : tables_)
    if (table->needs_recount()) unknown.push_back(table);
  if (unknown.empty()) return;
  log::info("recounting the items of " + std::to_string(unknown.size()) +
            " table(s) without saved counts (stopped uncleanly, or new to this version)");
  // One table after another: a crash leaves every table to recount, and
  // the scans are background work on a small machine.
  recount_thread_ = std::jthread([tables = std::move(unknown)](std::stop_token stop) {
    for (const auto& table : tables) {
      if (stop.stop_requested()) return;
      guarded("recounting the items of table " + table->schema().name,
              [&] { table->recount(stop); });
    }
  });
}

void Catalog::recover_transactions() {
  log_ = std::make_unique<TransactionLog>(
      config_.data_dir,
      [this](const std::set<std::string>& names) {
        std::shared_lock lock(mu_);
        // A closed table was synced as it closed.
        for (const auto& name : names)
          if (auto it = tables_.find(name); it != tables_.end()) it->second->sync_if_open();
      },
      [this](uint64_t up_to, const std::set<std::string>& names) {
        std::vector<std::shared_ptr<Table>> tables;
        {
          std::shared_lock lock(mu_);
          for (const auto& name : names)
            if (auto it = tables_.find(name); it != tables_.end()) tables.push_back(it->second);
        }
        // Only the tables the sealed transactions wrote hold their markers.
        // A closed one keeps them until its first use of the next run (they
        // are harmless: no intent names them).
        for (const auto& table : tables)
          if (table->is_open()) table->sweep_markers(up_to, false);
      });
  // Every intent the log holds, done or not: a share written unsynced may
  // have been lost with its marker, and is written again; the others are
  // made durable before the log goes. Only the tables the log names are
  // opened.
  auto intents = log_->intents();
  size_t rewritten = 0;
  std::set<Table*> written;
  for (const auto& intent : intents) {
    for (const auto& part : intent.parts) {
      auto it = tables_.find(part.table);
      // A table deleted since takes its share with it.
      if (it == tables_.end() || it->second->schema().id != part.table_id) continue;
      rewritten += it->second->finish_part(part, intent.id);
      written.insert(it->second.get());
    }
  }
  if (rewritten > 0)
    log::info("wrote again " + std::to_string(rewritten) +
              " share(s) of transactions a stop interrupted");
  for (Table* table : written) table->sync();
  // The markers of these intents go before the log does; every other
  // table's markers (of transactions whose log was retired) go at its first
  // use, each run, before any transaction of the run writes one there.
  for (Table* table : written) table->sweep_markers(std::numeric_limits<uint64_t>::max(), true);
  log_->reset();
  recovered_.store(true);
}

bool Catalog::first_use(Table& table) {
  if (!recovered_.load()) return false;
  table.sweep_markers(std::numeric_limits<uint64_t>::max(), true);
  tokens_.load(table.shared_from_this());
  return true;
}

Catalog::~Catalog() {
  poll_thread_ = {};  // stops and joins it
  if (counts_) add_cluster_counts();
  if (presence_) presence_->leave();
  recount_thread_ = {};
  // A finishing restore or backfill takes mu_ and reads tables_, so all must
  // end before the members go; restores first, as one may start backfills.
  std::vector<RestoreThread> restores;
  {
    std::unique_lock lock(mu_);
    restores.swap(restore_threads_);
  }
  for (auto& r : restores) r.thread.request_stop();
  restores.clear();  // joins
  for (const auto& [name, table] : tables_) table->stop_backfills();
}

std::string Catalog::table_dir(const TableSchema& schema) const {
  if (config_.cluster.enabled())
    return (fs::path(config_.data_dir) / "cluster-tables" / schema.id).string();
  return table_dir(schema.folder_name());
}

std::string Catalog::table_dir(const std::string& folder) const {
  return storage::table_dir(config_.data_dir, folder);
}

std::shared_ptr<Table> Catalog::open_table(const TableSchema& schema,
                                           const std::string& dir) {
  std::shared_ptr<host::Library> lib;
  try {
    lib = engines_.library(schema.plugin);
  } catch (const std::exception& e) {
    // The table's data is intact; what is missing needs a person, who must
    // learn which table and which file.
    throw DataDirError("table '" + schema.name + "': its engine plugin, recorded in " +
                       catalog_path_ + " as '" + schema.plugin +
                       "', cannot be loaded (" + e.what() +
                       "); put the plugin back at that path to start");
  }
  Table::Opener open = [lib, dir = dir.empty() ? table_dir(schema) : dir,
                        options = schema.engine_options] {
    return host::Instance::open(lib, dir, options, engine_services());
  };
  // A retired table takes no new transaction: nothing to do at first use.
  Table::FirstUse first;
  if (schema.deleted_ms == 0)
    first = [this](Table& t) { return first_use(t); };
  // A cluster's front end counts its own writes (storage/cluster_counts.h).
  auto table = std::make_shared<Table>(schema, std::move(lib), std::move(open), &pool_,
                                       std::move(first),
                                       shared_ ? std::string()
                                       : dir.empty() ? table_dir(schema) : dir);
  if (config_.replication.log) table->log_every_change(replication_sync_.get());
  return table;
}

void Catalog::persist_locked() {
  if (shared_) return persist_shared_locked();
  std::vector<TableSchema> schemas;
  schemas.reserve(tables_.size() + retired_.size());
  for (const auto& [name, table] : tables_) schemas.push_back(table->schema());
  for (const auto& [id, retired] : retired_) schemas.push_back(retired.first);
  write_catalog(catalog_path_, schemas);
  version_.fetch_add(1);
}

std::string Catalog::version() const {
  return std::to_string(started_ms_) + "." + std::to_string(version_.load());
}

std::map<std::string, std::shared_ptr<Table>> Catalog::tables_by_id() const {
  std::shared_lock lock(mu_);
  std::map<std::string, std::shared_ptr<Table>> out;
  for (const auto& [name, table] : tables_) out.emplace(table->schema().id, table);
  return out;
}

std::shared_ptr<Table> Catalog::find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second;
}

std::shared_ptr<Table> Catalog::create_once(TableSchema schema, bool keep_id) {
  std::unique_lock lock(mu_);
  sync_locked();
  if (tables_.count(schema.name) || dropping_.count(schema.name) ||
      restoring_.count(schema.name))
    throw ApiError::resource_in_use("Table already exists: " + schema.name);
  const std::string dir = begin_create_locked(schema, keep_id);
  try {
    // A new table's counts are known: zero.
    save_counts(dir, zero_stats(schema));
  } catch (...) {
    remove_table_dir(dir);
    throw;
  }
  return finish_create_locked(schema, dir);
}

std::string Catalog::begin_create_locked(TableSchema& schema, bool keep_id) {
  const config::EngineConfig& engine = config_.engine_for_table(schema.name);
  if (shared_ && engine.name != config_.cluster.engine)
    throw ApiError::validation("Table " + schema.name + " would be on engine '" +
                               engine.name + "', but every table of a cluster must be on " +
                               "its engine '" + config_.cluster.engine + "'");
  if (!keep_id || schema.id.empty()) schema.id = random_uuid();
  schema.creation_time = now_seconds();
  schema.engine = engine.name;
  schema.plugin = engine.plugin;
  schema.engine_options = engine.options;
  // Every front end's folder of the table is the same instance: the
  // engine names its keyspaces after the table's id, not the folder.
  if (shared_) {
    std::string id = schema.id;
    std::erase(id, '-');
    schema.engine_options.emplace_back("instance_id", id);
  }
  schema.durable = engine.durable;
  std::string dir = table_dir(schema);
  std::error_code ec;
  if (fs::symlink_status(dir, ec).type() != fs::file_type::not_found)
    clear_leftover(config_.data_dir, dir);  // a drop could not remove it, or unexplained
  fs::create_directories(dir);
  try {
    // The create marker first: until the catalog lists the table, start-up
    // knows the folder for the leftover of an unacknowledged create.
    write_marker(dir, kCreatingMarker);
    write_marker(dir, kTableIdMarker, schema.id + "\n");
  } catch (...) {
    remove_table_dir(dir);
    throw;
  }
  return dir;
}

std::shared_ptr<Table> Catalog::finish_create_locked(const TableSchema& schema,
                                                     const std::string& dir) {
  std::shared_ptr<Table> table;
  try {
    table = open_table(schema);
    // Opened once now, so that an engine that cannot open the table fails
    // the create rather than its first use.
    table->lease();
    tables_.emplace(schema.name, table);
    persist_locked();
  } catch (...) {
    tables_.erase(schema.name);
    table.reset();
    remove_table_dir(dir);
    throw;
  }
  remove_marker(dir, kCreatingMarker);
  log::info("created table " + schema.name + " on engine " + schema.engine + " (" +
            std::string(table->engine_library().name()) + " " +
            std::string(table->engine_library().version()) + ")");
  return table;
}

std::pair<TableSchema, Table::Stats> Catalog::drop_once(
    std::string_view name, const std::function<void(const TableSchema&)>& check) {
  const std::string key(name);
  std::string dir;
  std::vector<std::string> old_copies;  // folders of engines it was migrated off
  std::shared_ptr<Table> table;
  TableSchema retired;  // deleted_ms 0: the table is deleted, not retired
  {
    std::unique_lock lock(mu_);
    sync_locked();
    auto it = tables_.find(key);
    if (it == tables_.end() && restoring_.count(key))
      throw ApiError::resource_in_use(
          "Attempt to change a resource which is still in use: Table is being created: " +
          key);
    if (it == tables_.end())
      throw ApiError::resource_not_found("Requested resource not found: Table: " + key +
                                         " not found");
    if (migrations_.count(key))
      throw ApiError::resource_in_use(
          "Attempt to change a resource which is still in use: Table is being migrated: " +
          key);
    if (check) check(it->second->schema());
    dir = table_dir(it->second->schema());
    for (const auto& copy : it->second->schema().old_copies)
      old_copies.push_back(table_dir(copy));
    // The drop marker first: once the catalog no longer lists the table,
    // start-up knows the folder for the leftover of an acknowledged drop
    // (or, listed as retired, for the folder of one to move to retired/).
    for (const auto& copy : old_copies) write_marker(copy, kDeletingMarker);
    write_marker(dir, kDeletingMarker);
    table = it->second;
    // A table that has had a stream stays, as DynamoDB keeps a deleted
    // table's streams readable for the retention period.
    if (!table->schema().streams.empty()) {
      retired = table->schema();
      retired.deleted_ms = clock::now_ms();
      for (auto& stream : retired.streams) stream.enabled = false;
      retired_.emplace(retired.id,
                       std::pair<TableSchema, std::shared_ptr<Table>>{retired, nullptr});
    }
    auto entry = tables_.extract(it);
    dropping_.insert(key);
    try {
      persist_locked();
    } catch (...) {
      // Not dropped after all: the catalog on disk still lists it.
      dropping_.erase(key);
      retired_.erase(retired.id);
      tables_.insert(std::move(entry));
      remove_marker(dir, kDeletingMarker);
      throw;
    }
  }
  // The drop is committed. Whatever fails from here on, the engine closes,
  // the files go or are retired (or, failing that, are left marked for the
  // next start or create of the name to remove) and the name is free again.
  ScopeExit release([&]() noexcept {
    finish_drop(std::move(table), dir, retired);
    for (const auto& copy : old_copies) remove_table_dir(copy);
    std::unique_lock lock(mu_);
    dropping_.erase(key);
  });
  // Requests that found the table before it left the map finish first; each
  // holds it for one request only, so this wait is short.
  while (table.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Table::Stats last = stats(*table);
  if (counts_) counts_->drop(table->schema().id);
  return {table->schema(), std::move(last)};
}

Table::Stats Catalog::stats(const Table& table) {
  return counts_ ? counts_->figures(table) : table.stats();
}

void Catalog::finish_drop(std::shared_ptr<Table> table, const std::string& dir,
                          const TableSchema& retired) noexcept {
  while (table.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  close_for_good(*table);
  table.reset();
  if (retired.deleted_ms != 0) {
    const std::string to = retired_dir(config_.data_dir, retired.id);
    const bool kept = guarded("keeping the streams of deleted table " + retired.name, [&] {
      fs::create_directories(fs::path(to).parent_path());
      fs::rename(dir, to);
      remove_marker(to, kDeletingMarker);
      auto opened = open_table(retired, to);
      std::unique_lock lock(mu_);
      retired_[retired.id].second = std::move(opened);
    });
    if (kept) return;
    // Deleted after all: out of the catalog first, then the files.
    guarded("forgetting the streams of deleted table " + retired.name, [&] {
      std::unique_lock lock(mu_);
      retired_.erase(retired.id);
      persist_locked();
    });
    std::error_code ec;
    if (fs::exists(to, ec)) remove_table_dir(to);
  }
  remove_table_dir(dir);
}

std::vector<std::shared_ptr<Table>> Catalog::retired() const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<int64_t, std::shared_ptr<Table>>> found;
  for (const auto& [id, retired] : retired_)
    if (retired.second) found.emplace_back(retired.first.deleted_ms, retired.second);
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::shared_ptr<Table>> out;
  for (auto& [ms, table] : found) out.push_back(std::move(table));
  return out;
}

size_t Catalog::expire_retired(int64_t cutoff_ms) {
  std::vector<std::pair<std::string, std::shared_ptr<Table>>> gone;  // folder, table
  {
    std::unique_lock lock(mu_);
    for (auto it = retired_.begin(); it != retired_.end();) {
      const auto& [schema, table] = it->second;
      if (!table || schema.deleted_ms >= cutoff_ms) {
        ++it;
        continue;
      }
      // The marker first, as for a drop: unlisted, the folder is known for
      // garbage at the next start.
      const std::string dir = retired_dir(config_.data_dir, schema.id);
      write_marker(dir, kDeletingMarker);
      gone.emplace_back(dir, table);
      it = retired_.erase(it);
    }
    if (gone.empty()) return 0;
    persist_locked();
  }
  for (auto& [dir, table] : gone) {
    while (table.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    close_for_good(*table);
    table.reset();
    remove_table_dir(dir);
  }
  return gone.size();
}

TableSchema Catalog::update_schema_once(
    std::string_view name, const std::function<TableSchema(const TableSchema&)>& change) {
  std::unique_lock lock(mu_);
  sync_locked();
  auto it = tables_.find(name);
  if (it == tables_.end())
    throw ApiError::resource_not_found(
        "Requested resource not found: Table: " + std::string(name) + " not found");
  Table& table = *it->second;
  const TableSchema& before = table.schema();  // versions outlive the swap
  TableSchema next = change(before);
  table.set_schema(next);
  try {
    persist_locked();
  } catch (...) {
    table.set_schema(before);  // not changed after all
    throw;
  }
  advance_indexes_locked(table, &before);
  return next;
}

void Catalog::advance_indexes_locked(Table& table, const TableSchema* before) {
  auto was_creating = [&](const std::string& name) {
    if (!before) return false;
    for (const auto& i : before->indexes)
      if (i.name == name) return i.state == IndexSchema::State::kCreating;
    return false;
  };
  TableSchema next = table.schema();
  bool dropped = false;
  for (const auto& index : table.schema().indexes) {
    if (index.state == IndexSchema::State::kCreating && !was_creating(index.name)) {
      // A new index's lease row is free, or a leftover of an earlier index
      // of the name: taken from what it holds, the position there ignored.
      try {
        start_backfill_locked(
            table, index.name,
            shared_ ? shared_->row(BackfillLease::key(table.schema().id, index.name))
                    : std::nullopt);
      } catch (const std::exception& e) {
        // The index is committed all the same: in a cluster, a front end
        // takes its backfill over once the lease it never got runs out.
        log::error("starting the backfill of index " + index.name + ": " + e.what());
      }
    } else if (index.state == IndexSchema::State::kDeleting) {
      if (shared_) forget_backfill_lease_locked(table, index.name);
      table.drop_index_keyspace(index.name);
      std::erase_if(next.indexes,
                    [&](const IndexSchema& i) { return i.name == index.name; });
      next.prune_attribute_definitions();
      dropped = true;
    }
  }
  if (!dropped) return;
  table.set_schema(std::move(next));
  persist_locked();
}

std::vector<std::string> Catalog::names() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  out.reserve(tables_.size() + restoring_.size());
  for (const auto& [name, table] : tables_) out.push_back(name);
  for (const auto& [name, schema] : restoring_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace jormun::storage
