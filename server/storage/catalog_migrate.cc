// Catalog::migrate and its helpers: see storage/catalog_migrate.h.
#include "storage/catalog_migrate.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <thread>

#include "common/api_error.h"
#include "common/clock.h"
#include "common/guarded.h"
#include "common/log.h"
#include "common/scope_exit.h"
#include "storage/catalog.h"
#include "storage/change_log.h"
#include "storage/data_dir.h"
#include "storage/engine_services.h"
#include "storage/table_dir.h"
#include "storage/table_restore.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

// A catch-up round that applies at most this many records is followed by
// the switch-over: what is left then is about one round's worth, applied
// with the writes held.
constexpr uint64_t kSmallRemainder = 500;
// How long the switch-over waits for the writes in flight, and then for the
// catalog's lock, before it lets the writes go and catches up again.
constexpr std::chrono::milliseconds kHoldWait{2000};
constexpr std::chrono::milliseconds kCatalogWait{1000};
// Switch-overs tried before the migration gives up (each after a round).
constexpr int kSwitchAttempts = 50;
// Catch-up rounds after which the switch-over is tried whatever is left:
// writes faster than the catch-up would otherwise keep it going forever;
// they then wait for the rest under the hold (one over the lock wait is a
// TransactionConflictException, which the client retries).
constexpr int kCatchUpRounds = 4;

double now_seconds() { return static_cast<double>(clock::now_ms()) / 1000.0; }

void check_stop(std::stop_token stop) {
  if (stop.stop_requested()) throw std::runtime_error("the migration was stopped");
}

// Whether `a` and `b` have the same indexes, in the same states: the copy
// holds `a`'s.
bool same_indexes(const TableSchema& a, const TableSchema& b) {
  if (a.indexes.size() != b.indexes.size()) return false;
  for (size_t i = 0; i < a.indexes.size(); ++i)
    if (a.indexes[i].name != b.indexes[i].name || a.indexes[i].state != b.indexes[i].state)
      return false;
  return true;
}

}  // namespace

std::string Catalog::fresh_folder(const std::string& name) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return name + "@" + buf;
}

const char* phase_name(MigrationStatus::Phase phase) {
  switch (phase) {
    case MigrationStatus::Phase::kCopying: return "COPYING";
    case MigrationStatus::Phase::kCatchingUp: return "CATCHING_UP";
    case MigrationStatus::Phase::kSwitching: return "SWITCHING";
    case MigrationStatus::Phase::kDone: return "DONE";
    case MigrationStatus::Phase::kFailed: return "FAILED";
    case MigrationStatus::Phase::kCancelled: return "CANCELLED";
  }
  return "UNKNOWN";
}

MigrationStatus Migration::status() const {
  std::lock_guard lock(mu_);
  MigrationStatus s = status_;
  s.items_copied = items_copied.load();
  s.records_applied = records_applied.load();
  return s;
}

void Migration::set_phase(MigrationStatus::Phase phase) {
  std::lock_guard lock(mu_);
  status_.phase = phase;
}

void Migration::finish(MigrationStatus::Phase phase, const std::string& error,
                       const std::string& old_copy) {
  std::lock_guard lock(mu_);
  status_.phase = phase;
  status_.error = error;
  status_.old_copy = old_copy;
  status_.end_time = now_seconds();
}

MigrationStatus Catalog::migrate(std::string_view name, const config::EngineConfig& engine) {
  std::unique_lock lock(mu_);
  auto it = tables_.find(name);
  if (it == tables_.end())
    throw ApiError::resource_not_found("Requested resource not found: Table: " +
                                       std::string(name) + " not found");
  const std::string key(name);
  if (migrations_.count(key))
    throw ApiError::resource_in_use(
        "Attempt to change a resource which is still in use: Table is being migrated: " + key);
  std::shared_ptr<Table> old = it->second;
  const TableSchema& schema = old->schema();
  if (schema.engine == engine.name)
    throw ApiError::validation("Table " + key + " is already on engine " + engine.name);
  // A restore to a time before the move would replay the new copy's change
  // log over the old copy's checkpoint.
  if (schema.pitr.enabled)
    throw ApiError::validation("Table " + key +
                               " has point-in-time recovery enabled; disable it before "
                               "migrating the table to another engine");
  // The copy's change log starts again at 1: a follower's position in the
  // old one would name other changes.
  if (config_.replication.log)
    throw ApiError::validation("Table " + key +
                               " is replicated to followers (replication.log); a "
                               "replicated table cannot be migrated to another engine");
  for (const auto& index : schema.indexes)
    if (index.state != IndexSchema::State::kActive)
      throw ApiError::resource_in_use(
          "Attempt to change a resource which is still in use: Table " + key +
          " has an index being created or deleted: " + index.name);
  MigrationStatus start;
  start.table = key;
  start.from_engine = schema.engine;
  start.to_engine = engine.name;
  start.items_total = old->stats().item_count;
  start.start_time = now_seconds();
  auto m = std::make_shared<Migration>(start);
  // From here on every write adds its change log record (set_schema waits
  // for the writes staged before), and the checkpoint comes after.
  TableSchema next = schema;
  next.migrating = true;
  old->set_schema(std::move(next));
  std::erase_if(restore_threads_, [](const RestoreThread& t) { return t.done->load(); });
  auto done = std::make_shared<std::atomic<bool>>(false);
  try {
    std::jthread thread([this, m, old, engine, done](std::stop_token stop) {
      run_migration(m, old, engine, stop);
      done->store(true);
    });
    m->cancel = thread.get_stop_source();
    restore_threads_.push_back({done, std::move(thread)});
  } catch (...) {
    TableSchema back = old->schema();
    back.migrating = false;
    old->set_schema(std::move(back));
    throw;
  }
  migrations_.emplace(key, m);
  log::info("migrating table " + key + " from engine " + start.from_engine + " to " +
            engine.name);
  return m->status();
}

void Catalog::run_migration(std::shared_ptr<Migration> m, std::shared_ptr<Table> old,
                            config::EngineConfig engine, std::stop_token stop) noexcept {
  const std::string name = m->status().table;
  const std::string folder = fresh_folder(name);
  const std::string dir = table_dir(folder);
  std::string old_copy, error;
  const bool moved = guarded("migrating table " + name, [&] {
    try {
      old_copy = migrate_table(*m, old, engine, dir, folder, stop);
    } catch (const std::exception& e) {
      error = e.what();
      throw;
    }
  });
  if (moved)
    guarded("closing the old copy of table " + name, [&] {
      // Requests that found the old table before the switch end first (each
      // holds it for one request; this thread and its closure hold it too);
      // then it closes, its folder kept.
      while (old.use_count() > 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      old->stop_backfills();
      while (old->is_open() && !old->close_if_idle())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  guarded("ending the migration of table " + name, [&] {
    std::unique_lock lock(mu_);
    auto it = tables_.find(name);
    if (!moved) {
      std::error_code ec;
      if (fs::exists(dir, ec) && (it == tables_.end() || it->second->schema().folder != folder))
        remove_table_dir(dir);
      // Still listed as it was: its writes stop adding records.
      if (it != tables_.end() && it->second == old) {
        TableSchema back = old->schema();
        back.migrating = false;
        old->set_schema(std::move(back));
      }
    }
    m->finish(moved ? MigrationStatus::Phase::kDone
              : stop.stop_requested() ? MigrationStatus::Phase::kCancelled
                                      : MigrationStatus::Phase::kFailed,
              moved || stop.stop_requested() ? std::string() : error, old_copy);
    past_migrations_[name] = m;
    migrations_.erase(name);
  });
  if (moved)
    log::info("table " + name + " moved to engine " + engine.name + "; its old copy is " +
              old_copy);
}

std::string Catalog::migrate_table(Migration& m, const std::shared_ptr<Table>& old,
                                   const config::EngineConfig& engine, const std::string& dir,
                                   const std::string& folder, std::stop_token stop) {
  const std::string work = (fs::path(migrations_dir(config_.data_dir)) / folder).string();
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  ScopeExit cleanup([&]() noexcept {
    std::error_code ignored;
    fs::remove_all(work, ignored);
  });
  const std::string snapshot = (fs::path(work) / "snapshot").string();
  ChangeLogPosition at;
  const TableSchema source = old->checkpoint(snapshot, &at);
  TableSchema target = source;
  target.engine = engine.name;
  target.plugin = engine.plugin;
  target.engine_options = engine.options;
  target.durable = engine.durable;
  target.folder = folder;
  target.old_copies.clear();
  target.migrating = false;
  // Marked as being created: until the catalog lists the table in it,
  // start-up takes it for the leftover it is.
  fs::create_directories(dir);
  write_marker(dir, kCreatingMarker);
  write_marker(dir, kTableIdMarker, target.id + "\n");
  fill_restored_table(engines_, source, snapshot, target, dir,
                      (fs::path(work) / "scratch").string(), stop, &m.items_copied);
  fs::remove_all(snapshot, ec);
  check_stop(stop);

  // A private Table on the copy, so catch-up goes through the write path
  // (index entries included). Unsynced writes with no stream records: the
  // old table made those; the copy is synced before the catalog lists it.
  TableSchema writing = target;
  writing.durable = false;
  writing.pitr = {};
  writing.streams.clear();
  auto copy = std::make_shared<Table>(
      std::move(writing), host::Instance::open(engines_.library(target.plugin), dir,
                                               target.engine_options, engine_services()));
  m.set_phase(MigrationStatus::Phase::kCatchingUp);
  uint64_t next = at.end;
  for (int attempt = 0, round = 1;; ++round) {
    const uint64_t end = old->stream_visible_end();
    const uint64_t applied = replay_change_log(*old, next, end,
                                               std::numeric_limits<int64_t>::max(), *copy, stop);
    next = end;
    m.records_applied.fetch_add(applied);
    if (applied > kSmallRemainder && round < kCatchUpRounds) continue;
    m.set_phase(MigrationStatus::Phase::kSwitching);
    if (switch_over(old, copy, target, dir, &next, m, stop)) break;
    if (++attempt == kSwitchAttempts)
      throw std::runtime_error("the table's writes could not be held for the switch-over");
    m.set_phase(MigrationStatus::Phase::kCatchingUp);
  }
  return old->schema().folder_name();
}

bool Catalog::switch_over(const std::shared_ptr<Table>& old, std::shared_ptr<Table>& copy,
                          const TableSchema& target, const std::string& dir, uint64_t* next,
                          Migration& m, std::stop_token stop) {
  auto hold = old->hold_writes(kHoldWait);
  if (!hold) return false;
  check_stop(stop);
  // Every staged write has committed: the log is complete up to its end.
  const uint64_t end = old->stream_visible_end();
  m.records_applied.fetch_add(replay_change_log(
      *old, *next, end, std::numeric_limits<int64_t>::max(), *copy, stop));
  *next = end;
  copy->sync();
  std::unique_lock lock(mu_, std::defer_lock);
  const auto deadline = std::chrono::steady_clock::now() + kCatalogWait;
  while (!lock.try_lock()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const std::string name = target.name;
  auto it = tables_.find(name);
  if (it == tables_.end() || it->second != old)
    throw std::runtime_error("the table was deleted during its migration");
  const TableSchema& current = old->schema();
  if (!same_indexes(current, target))
    throw std::runtime_error(
        "the table's indexes changed during its migration; nothing moved, run it again");
  if (current.pitr.enabled)
    throw std::runtime_error(
        "point-in-time recovery was enabled during the migration; nothing moved");
  // The settings as they are now (UpdateTable, TTL, tags may have changed
  // them meanwhile), on the new engine, in the new folder.
  TableSchema moved = current;
  moved.engine = target.engine;
  moved.plugin = target.plugin;
  moved.engine_options = target.engine_options;
  moved.durable = target.durable;
  moved.folder = target.folder;
  moved.old_copies.push_back(current.folder_name());
  moved.migrating = false;
  copy.reset();  // closes the private instance: the listed table opens its own
  std::shared_ptr<Table> table = open_table(moved);
  it->second = table;
  try {
    table->lease();
    persist_locked();
  } catch (...) {
    it->second = old;
    table->stop_backfills();
    while (table->is_open() && !table->close_if_idle())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    throw;
  }
  old->mark_moved();
  remove_marker(dir, kCreatingMarker);
  return true;
}

std::optional<MigrationStatus> Catalog::migration(std::string_view name) const {
  std::shared_lock lock(mu_);
  if (auto it = migrations_.find(name); it != migrations_.end()) return it->second->status();
  if (auto it = past_migrations_.find(name); it != past_migrations_.end())
    return it->second->status();
  return std::nullopt;
}

bool Catalog::cancel_migration(std::string_view name) {
  std::shared_lock lock(mu_);
  auto it = migrations_.find(name);
  if (it == migrations_.end()) return false;
  it->second->cancel.request_stop();
  return true;
}

std::vector<std::string> Catalog::drop_old_copies(std::string_view name) {
  std::vector<std::string> folders;
  {
    std::unique_lock lock(mu_);
    auto it = tables_.find(name);
    if (it == tables_.end())
      throw ApiError::resource_not_found("Requested resource not found: Table: " +
                                         std::string(name) + " not found");
    if (migrations_.count(name))
      throw ApiError::resource_in_use(
          "Attempt to change a resource which is still in use: Table is being migrated: " +
          std::string(name));
    Table& table = *it->second;
    const TableSchema before = table.schema();
    folders = before.old_copies;
    if (folders.empty()) return folders;
    // The drop markers first: unlisted, the folders are known for garbage
    // at the next start.
    for (const auto& folder : folders) write_marker(table_dir(folder), kDeletingMarker);
    TableSchema next = before;
    next.old_copies.clear();
    table.set_schema(next);
    try {
      persist_locked();
    } catch (...) {
      table.set_schema(before);
      for (const auto& folder : folders) remove_marker(table_dir(folder), kDeletingMarker);
      throw;
    }
  }
  for (const auto& folder : folders) remove_table_dir(table_dir(folder));
  log::info("table " + std::string(name) + ": dropped " + std::to_string(folders.size()) +
            " old copies");
  return folders;
}

}  // namespace jormun::storage
