#include "storage/catalog.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include "common/api_error.h"
#include "common/log.h"
#include "common/scope_exit.h"
#include "storage/catalog_file.h"
#include "storage/data_dir.h"
#include "storage/table_dir.h"

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

// DeleteTable's figures. A table whose scan fails (a corrupt item, an engine
// error) must still be deletable, so then the last figures computed serve.
Table::Stats stats_for_answer(Table& table) {
  try {
    return table.stats();
  } catch (const std::exception& e) {
    log::error("statistics of " + table.schema().name + " for its deletion: " + e.what());
    return table.cached_stats();
  }
}

}  // namespace

Catalog::Catalog(const config::Config& config, EngineRegistry& engines)
    : config_(config), engines_(engines), catalog_path_(catalog_path(config.data_dir)) {
  for (auto& schema : prepare_data_dir(config.data_dir)) {
    std::string name = schema.name;
    tables_.emplace(name, open_table(schema));
  }
  recover_transactions();
  std::unique_lock lock(mu_);
  for (const auto& [name, table] : tables_) advance_indexes_locked(*table, nullptr);
}

void Catalog::recover_transactions() {
  log_ = std::make_unique<TransactionLog>(
      config_.data_dir,
      [this](const std::set<std::string>& names) {
        std::shared_lock lock(mu_);
        for (const auto& name : names)
          if (auto it = tables_.find(name); it != tables_.end()) it->second->sync();
      },
      [this](uint64_t up_to) {
        std::shared_lock lock(mu_);
        for (const auto& [name, table] : tables_) table->sweep_markers(up_to, false);
      });
  // Every intent the log holds, done or not: a share written unsynced may
  // have been lost with its marker, and is written again; the others are
  // made durable before the log goes.
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
  for (const auto& [name, table] : tables_)
    table->sweep_markers(std::numeric_limits<uint64_t>::max(), true);
  log_->reset();
  for (const auto& [name, table] : tables_) tokens_.load(table);
}

Catalog::~Catalog() {
  // A finishing backfill takes mu_ and reads tables_, so all must end before
  // the members go.
  for (const auto& [name, table] : tables_) table->stop_backfills();
}

std::string Catalog::table_dir(const std::string& name) const {
  return storage::table_dir(config_.data_dir, name);
}

std::shared_ptr<Table> Catalog::open_table(const TableSchema& schema) const {
  auto lib = engines_.library(schema.plugin);
  auto instance =
      host::Instance::open(lib, table_dir(schema.name), schema.engine_options);
  return std::make_shared<Table>(schema, std::move(instance));
}

void Catalog::persist_locked() const {
  std::vector<TableSchema> schemas;
  schemas.reserve(tables_.size());
  for (const auto& [name, table] : tables_) schemas.push_back(table->schema());
  write_catalog(catalog_path_, schemas);
}

std::shared_ptr<Table> Catalog::find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second;
}

std::shared_ptr<Table> Catalog::create(TableSchema schema) {
  std::unique_lock lock(mu_);
  if (tables_.count(schema.name) || dropping_.count(schema.name))
    throw ApiError::resource_in_use("Table already exists: " + schema.name);
  const config::EngineConfig& engine = config_.engine_for_table(schema.name);
  schema.id = random_uuid();
  schema.creation_time = now_seconds();
  schema.engine = engine.name;
  schema.plugin = engine.plugin;
  schema.engine_options = engine.options;
  schema.durable = engine.durable;
  std::string dir = table_dir(schema.name);
  std::error_code ec;
  if (fs::symlink_status(dir, ec).type() != fs::file_type::not_found)
    clear_leftover(config_.data_dir, dir);  // a drop could not remove it, or unexplained
  fs::create_directories(dir);
  std::shared_ptr<Table> table;
  try {
    // The create marker first: until the catalog lists the table, start-up
    // knows the folder for the leftover of an unacknowledged create.
    write_marker(dir, kCreatingMarker);
    write_marker(dir, kTableIdMarker, schema.id + "\n");
    table = open_table(schema);
    tables_.emplace(schema.name, table);
    persist_locked();
  } catch (...) {
    tables_.erase(schema.name);
    table.reset();
    remove_table_dir(dir);
    throw;
  }
  remove_marker(dir, kCreatingMarker);
  log::info("created table " + schema.name + " on engine " + engine.name + " (" +
            std::string(table->engine_library().name()) + " " +
            std::string(table->engine_library().version()) + ")");
  return table;
}

std::pair<TableSchema, Table::Stats> Catalog::drop(
    std::string_view name, const std::function<void(const TableSchema&)>& check) {
  const std::string key(name), dir = table_dir(key);
  std::shared_ptr<Table> table;
  {
    std::unique_lock lock(mu_);
    auto it = tables_.find(key);
    if (it == tables_.end())
      throw ApiError::resource_not_found("Requested resource not found: Table: " + key +
                                         " not found");
    if (check) check(it->second->schema());
    // The drop marker first: once the catalog no longer lists the table,
    // start-up knows the folder for the leftover of an acknowledged drop.
    write_marker(dir, kDeletingMarker);
    table = it->second;
    auto entry = tables_.extract(it);
    dropping_.insert(key);
    try {
      persist_locked();
    } catch (...) {
      // Not dropped after all: the catalog on disk still lists it.
      dropping_.erase(key);
      tables_.insert(std::move(entry));
      remove_marker(dir, kDeletingMarker);
      throw;
    }
  }
  // The drop is committed. Whatever fails from here on, the engine closes,
  // the files go (or, failing that, are left marked for the next start or
  // create of the name to remove) and the name is free again.
  ScopeExit release([&]() noexcept {
    table.reset();
    remove_table_dir(dir);
    std::unique_lock lock(mu_);
    dropping_.erase(key);
  });
  // Requests that found the table before it left the map finish first; each
  // holds it for one request only, so this wait is short.
  while (table.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return {table->schema(), stats_for_answer(*table)};
}

TableSchema Catalog::update_schema(
    std::string_view name, const std::function<TableSchema(const TableSchema&)>& change) {
  std::unique_lock lock(mu_);
  auto it = tables_.find(name);
  if (it == tables_.end())
    throw ApiError::resource_not_found(
        "Requested resource not found: Table: " + std::string(name) + " not found");
  Table& table = *it->second;
  const TableSchema& before = table.schema();  // versions outlive the swap
  TableSchema next = change(before);
  table.set_schema(next);
  persist_locked();
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
      Table* t = &table;
      std::string name = index.name;
      table.start_backfill(name, [this, t, name](std::stop_token stop) {
        finish_backfill(t, name, stop);
      });
    } else if (index.state == IndexSchema::State::kDeleting) {
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

void Catalog::finish_backfill(Table* table, const std::string& index,
                              std::stop_token stop) {
  std::unique_lock lock(mu_);
  // start_backfill runs under mu_, so a stop it requested is visible here.
  if (stop.stop_requested()) return;
  auto it = tables_.find(table->schema().name);
  if (it == tables_.end() || it->second.get() != table) return;
  TableSchema next = table->schema();
  bool changed = false;
  for (auto& i : next.indexes)
    if (i.name == index && i.state == IndexSchema::State::kCreating) {
      i.state = IndexSchema::State::kActive;
      changed = true;
    }
  if (!changed) return;
  table->set_schema(std::move(next));
  persist_locked();
  log::info("index " + index + " of table " + table->schema().name + " is active");
}

std::vector<std::string> Catalog::names() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  out.reserve(tables_.size());
  for (const auto& [name, table] : tables_) out.push_back(name);
  return out;
}

}  // namespace jormun::storage
