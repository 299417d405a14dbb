// The Catalog's changes that a cluster may make run again (catalog.h:
// create, drop, update_schema, the end of a backfill), and its cluster
// mode: the schemas in the shared catalog (shared_catalog.h), other front
// ends' changes applied by a poll thread.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>

#include "common/api_error.h"
#include "common/log.h"
#include "storage/catalog.h"
#include "storage/catalog_file.h"
#include "storage/engine_services.h"
#include "storage/table_counts.h"
#include "storage/table_dir.h"

namespace fs = std::filesystem;

namespace jormun::storage {

template <class F>
auto Catalog::run_changes(F&& once) -> decltype(once()) {
  for (int attempt = 1;; ++attempt) {
    try {
      return once();
    } catch (const CatalogConflict&) {
      // Each retry starts from a newer catalog, so only a storm of
      // changes elsewhere gets here.
      if (attempt == 16)
        throw ApiError::internal("the cluster's catalog kept changing; try again");
    }
  }
}

std::shared_ptr<Table> Catalog::create(TableSchema schema, bool keep_id) {
  return run_changes([&] { return create_once(schema, keep_id); });
}

std::pair<TableSchema, Table::Stats> Catalog::drop(
    std::string_view name, const std::function<void(const TableSchema&)>& check) {
  return run_changes([&] { return drop_once(name, check); });
}

TableSchema Catalog::update_schema(
    std::string_view name, const std::function<TableSchema(const TableSchema&)>& change) {
  return run_changes([&] { return update_schema_once(name, change); });
}

void Catalog::finish_backfill(Table* table, const std::string& index,
                              std::stop_token stop) {
  const bool changed = run_changes([&] {
    std::unique_lock lock(mu_);
    // start_backfill runs under mu_, so a stop it requested is visible here.
    if (stop.stop_requested()) return false;
    sync_locked();
    auto it = tables_.find(table->schema().name);
    if (it == tables_.end() || it->second.get() != table) return false;
    const TableSchema& before = table->schema();
    TableSchema next = before;
    bool found = false;
    for (auto& i : next.indexes)
      if (i.name == index && i.state == IndexSchema::State::kCreating) {
        i.state = IndexSchema::State::kActive;
        found = true;
      }
    if (!found) return false;
    table->set_schema(std::move(next));
    try {
      persist_locked();
    } catch (...) {
      table->set_schema(before);
      throw;
    }
    return true;
  });
  if (!changed) return;
  log::info("index " + index + " of table " + table->schema().name + " is active");
}


void Catalog::start_backfill_locked(Table& table, const std::string& index,
                                    const std::optional<std::string>& seen, bool takeover) {
  std::shared_ptr<BackfillLease> lease;
  BackfillProgress from;
  if (shared_) {
    const std::string what = "index " + index + " of table " + table.schema().name;
    lease = BackfillLease::claim(*shared_, BackfillLease::key(table.schema().id, index), seen,
                                 front_end_id_,
                                 std::chrono::milliseconds(config_.cluster.lease_ms), what,
                                 takeover);
    if (!lease) return;  // another front end's
    from = lease->resumes();
    if (takeover)
      log::info("cluster: taking over the backfill of " + what +
                (from.items > 0 ? " after the " + std::to_string(from.items) +
                                      " items done by the front end that held it"
                                : std::string(" from the first item")));
  }
  Table::BackfillKeep keep;
  if (lease)
    keep = [this, lease, version = shared_version_, waited = false](
               std::stop_token stop, const BackfillProgress& done) mutable {
      // Writes of a front end that has not yet applied the version with the
      // index maintain no entry: the first item is read once none is left.
      if (!waited) {
        waited = presence_->wait_for(version, std::chrono::milliseconds(config_.cluster.poll_ms),
                                     stop, [&] { return lease->keep(done); });
        if (!waited) return false;
      }
      return lease->keep(done);
    };
  Table* t = &table;
  table.start_backfill(
      index,
      [this, t, index, lease](std::stop_token stop) {
        finish_backfill(t, index, stop);
        if (lease) lease->release();
      },
      std::move(keep), std::move(from));
}

void Catalog::forget_backfill_lease_locked(const Table& table,
                                           const std::string& index) noexcept {
  try {
    // Its holder may renew it once more before it sees the index gone.
    if (shared_->remove_row(BackfillLease::key(table.schema().id, index), 3)) return;
    log::error("the backfill lease of deleted index " + index + " kept changing: left");
  } catch (const std::exception& e) {
    log::error("deleting the backfill lease of deleted index " + index + ": " + e.what());
  }
}

void Catalog::take_over_backfills_locked() {
  for (const auto& [name, table] : tables_)
    for (const auto& index : table->schema().indexes) {
      if (index.state != IndexSchema::State::kCreating) continue;
      const std::string key = BackfillLease::key(table->schema().id, index.name);
      std::optional<std::string> seen = shared_->row(key);
      if (!stale_leases_->stale(key, seen)) continue;
      // Its lease ran out.
      start_backfill_locked(*table, index.name, seen, /*takeover=*/true);
    }
  stale_leases_->sweep();
}

void Catalog::open_cluster() {
  const config::EngineConfig& engine = *config_.engine(config_.cluster.engine);
  const std::string dir = (fs::path(config_.data_dir) / "cluster").string();
  fs::create_directories(dir);
  shared_ = std::make_unique<SharedCatalog>(engines_.library(engine.plugin), dir,
                                            engine.options, engine_services());
  std::mt19937_64 rng{std::random_device{}()};
  char id[17];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(rng()));
  front_end_id_ = id;
  stale_leases_.emplace(std::chrono::milliseconds(config_.cluster.lease_ms));
  counts_.emplace(*shared_);
  presence_.emplace(*shared_, front_end_id_, std::chrono::milliseconds(config_.cluster.lease_ms));
  // Present before the catalog is read: a backfill of an index made after
  // that read waits for this front end to apply it.
  presence_->announce(0);
  SharedCatalog::State state = shared_->read();
  // Folders of tables dropped while this front end was away go; their data
  // is the database's.
  std::set<std::string> ids;
  for (const auto& [name, schema] : state.tables) ids.insert(schema.id);
  const fs::path tables = fs::path(config_.data_dir) / "cluster-tables";
  fs::create_directories(tables);
  for (const auto& entry : fs::directory_iterator(tables))
    if (!ids.count(entry.path().filename().string())) remove_table_dir(entry.path().string());
  for (const auto& [name, schema] : state.tables) {
    ensure_cluster_dir(schema);
    tables_.emplace(name, open_table(schema));
    shared_json_.emplace(name, table_to_json(schema));
  }
  shared_version_ = state.version;
  presence_->announce(shared_version_);
  log::info("cluster: front end " + front_end_id_ + ": " + std::to_string(tables_.size()) +
            " table(s) in the shared catalog (version " + std::to_string(state.version) +
            ") on engine " + engine.name);
}

void Catalog::ensure_cluster_dir(const TableSchema& schema) {
  const std::string dir = table_dir(schema);
  std::error_code ec;
  if (fs::exists(dir, ec)) return;
  fs::create_directories(dir);
  write_marker(dir, kTableIdMarker, schema.id + "\n");
}

void Catalog::sync_locked() {
  if (!shared_ || shared_->version() == shared_version_) return;
  SharedCatalog::State state = shared_->read();
  for (auto it = tables_.begin(); it != tables_.end();) {
    auto found = state.tables.find(it->first);
    if (found != state.tables.end() && found->second.id == it->second->schema().id) {
      ++it;
      continue;
    }
    // Dropped elsewhere (or dropped and created anew: the new one has
    // another id and folder, and comes below).
    remote_drops_.push_back(it->second);
    shared_json_.erase(it->first);
    it = tables_.erase(it);
  }
  for (const auto& [name, schema] : state.tables) {
    std::string json = table_to_json(schema);
    auto it = tables_.find(name);
    if (it == tables_.end()) {
      ensure_cluster_dir(schema);
      tables_.emplace(name, open_table(schema));
      log::info("cluster: table " + name + " created by another front end");
    } else if (shared_json_[name] != json) {
      it->second->set_schema(schema);
    }
    shared_json_[name] = std::move(json);
  }
  shared_version_ = state.version;
}

void Catalog::persist_shared_locked() {
  std::vector<TableSchema> put;
  std::vector<std::string> removed;
  std::map<std::string, std::string, std::less<>> next;
  for (const auto& [name, table] : tables_) {
    std::string json = table_to_json(table->schema());
    auto known = shared_json_.find(name);
    if (known == shared_json_.end() || known->second != json) put.push_back(table->schema());
    next.emplace(name, std::move(json));
  }
  for (const auto& [name, json] : shared_json_)
    if (!next.count(name)) removed.push_back(name);
  if (put.empty() && removed.empty()) return;
  if (!shared_->commit(shared_version_, put, removed)) throw CatalogConflict();
  ++shared_version_;
  shared_json_ = std::move(next);
}

bool Catalog::refresh() {
  if (!shared_) return false;
  std::unique_lock lock(mu_);
  const uint64_t before = shared_version_;
  sync_locked();
  return shared_version_ != before;
}

void Catalog::add_cluster_counts() noexcept {
  std::vector<std::shared_ptr<Table>> tables;
  {
    std::shared_lock lock(mu_);
    for (const auto& [name, table] : tables_) tables.push_back(table);
  }
  for (const auto& table : tables) {
    try {
      counts_->add(*table);
    } catch (const std::exception& e) {
      // The database is away: the next round adds it all.
      log::error("cluster: adding the item counts of table " + table->schema().name +
                 " failed: " + e.what());
      return;
    }
  }
}

void Catalog::poll_cluster(std::stop_token stop) noexcept {
  // How often the item counts are added to: DynamoDB itself refreshes them
  // about every six hours; a second keeps the database's writes few.
  constexpr auto kCountsEvery = std::chrono::seconds(1);
  std::mutex mu;
  std::condition_variable_any wake;
  bool failing = false;
  auto counts_due = std::chrono::steady_clock::now() + kCountsEvery;
  for (;;) {
    {
      std::unique_lock lock(mu);
      if (wake.wait_for(lock, stop, std::chrono::milliseconds(config_.cluster.poll_ms),
                        [] { return false; }))
        return;
      if (stop.stop_requested()) return;
    }
    std::vector<std::shared_ptr<Table>> gone;
    // A database that is down fails every poll: logged once, and once more
    // when it is back.
    try {
      std::unique_lock lock(mu_);
      sync_locked();
      presence_->announce(shared_version_);
      gone.swap(remote_drops_);
      take_over_backfills_locked();
      if (failing) log::info("cluster: the shared catalog is readable again");
      failing = false;
    } catch (const std::exception& e) {
      if (!failing) log::error(std::string("cluster: reading the shared catalog failed: ") + e.what());
      failing = true;
    } catch (...) {
      if (!failing) log::error("cluster: reading the shared catalog failed");
      failing = true;
    }
    if (!failing && std::chrono::steady_clock::now() >= counts_due) {
      add_cluster_counts();
      counts_due = std::chrono::steady_clock::now() + kCountsEvery;
    }
    // Closed once no request holds them; their data is the database's.
    for (auto& table : gone) {
      counts_->forget(table->schema().id);
      const std::string dir = table_dir(table->schema());
      log::info("cluster: table " + table->schema().name + " deleted by another front end");
      finish_drop(std::move(table), dir, TableSchema{});
    }
  }
}

}  // namespace jormun::storage
