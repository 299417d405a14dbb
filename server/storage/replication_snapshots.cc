#include "storage/replication_snapshots.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "common/api_error.h"
#include "common/log.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "model/key_codec.h"
#include "storage/engine_services.h"
#include "storage/write_set.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

std::string new_snapshot_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

// The engine key of a stored item of a table of `schema`.
std::string key_of(const TableSchema& schema, std::string_view stored) {
  const model::Item item = model::decode_item(stored);
  const model::AttributeValue* sk =
      schema.sort_key ? &item.at(schema.sort_key->name) : nullptr;
  return model::base_key(item.at(schema.partition_key.name), sk);
}

}  // namespace

ReplicationSnapshots::ReplicationSnapshots(Catalog& catalog, const std::string& data_dir)
    : catalog_(catalog),
      dir_((fs::path(data_dir) / "replication" / "snapshots").string()) {
  remove(dir_);
}

ReplicationSnapshots::~ReplicationSnapshots() {
  snapshots_.clear();  // closes the private tables
  remove(dir_);
}

void ReplicationSnapshots::remove(const std::string& dir) noexcept {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) log::error("could not remove " + dir + ": " + ec.message());
}

std::vector<ReplicationSnapshots::Taken> ReplicationSnapshots::take(
    const std::vector<Table*>& tables) {
  // The write sets' order (tables by name), so that holding one table's
  // writes while waiting for the next's closes no cycle with a write set
  // holding that next one and waiting for a table after it.
  std::vector<Table*> ordered = tables;
  std::sort(ordered.begin(), ordered.end(), [](const Table* a, const Table* b) {
    return WriteSet::precedes(*a, {}, *b, {});
  });
  // Opened before the writes are held, as a write set opens a table
  // before its gate.
  std::vector<Table::Lease> leases;
  for (Table* t : ordered) leases.push_back(t->lease());
  std::vector<Taken> taken(tables.size());
  std::vector<std::string> dirs;
  fs::create_directories(dir_);
  try {
    {
      std::vector<std::unique_lock<std::shared_timed_mutex>> holds;
      for (Table* t : ordered) {
        holds.push_back(t->hold_writes(kHoldWait));
        if (!holds.back())
          throw std::runtime_error("the writes of table " + t->schema().name +
                                   " did not pause within " +
                                   std::to_string(kHoldWait.count()) + " s");
      }
      const auto began = std::chrono::steady_clock::now();
      for (size_t i = 0; i < tables.size(); ++i) {
        taken[i].id = new_snapshot_id();
        dirs.push_back((fs::path(dir_) / taken[i].id).string());
        ChangeLogPosition at;
        taken[i].schema = tables[i]->checkpoint(dirs.back(), &at, true);
        taken[i].position = at.end;
      }
      log::info("replication snapshots of " + std::to_string(tables.size()) +
                " tables taken; their writes were held " +
                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - began)
                                   .count()) +
                " ms");
    }
    const auto used =
        std::make_shared<std::chrono::steady_clock::time_point>(
            std::chrono::steady_clock::now());
    std::vector<std::shared_ptr<Snapshot>> opened;
    for (size_t i = 0; i < tables.size(); ++i) {
      auto snapshot = std::make_shared<Snapshot>();
      snapshot->dir = dirs[i];
      snapshot->last_used = used;
      snapshot->table = std::make_shared<Table>(
          taken[i].schema,
          host::Instance::open(catalog_.engines().library(taken[i].schema.plugin), dirs[i],
                               taken[i].schema.engine_options, engine_services()));
      opened.push_back(std::move(snapshot));
    }
    std::lock_guard lock(mu_);
    expire_locked();
    for (size_t i = 0; i < tables.size(); ++i)
      snapshots_.emplace(taken[i].id, std::move(opened[i]));
  } catch (...) {
    for (const auto& dir : dirs) remove(dir);
    throw;
  }
  return taken;
}

std::optional<std::string> ReplicationSnapshots::page(
    const std::string& id, const std::optional<std::string>& start_after, size_t limit,
    const std::function<void(std::string_view)>& visit) {
  std::shared_ptr<Snapshot> snapshot;
  {
    std::lock_guard lock(mu_);
    expire_locked();
    auto found = snapshots_.find(id);
    if (found == snapshots_.end())
      throw ApiError::resource_not_found("Requested resource not found: Snapshot: " + id +
                                         " not found");
    snapshot = found->second;
    *snapshot->last_used = std::chrono::steady_clock::now();
  }
  std::lock_guard reading(snapshot->reading);
  PageSpec spec;
  spec.start_after = start_after;
  spec.limit = limit;
  const PageRead read = snapshot->table->read_page(spec, [&](std::string_view stored) {
    visit(stored);
    return model::stored_item_size(stored);
  });
  if (!read.last) return std::nullopt;
  return key_of(snapshot->table->schema(), *read.last);
}

void ReplicationSnapshots::done(const std::string& id) {
  std::shared_ptr<Snapshot> snapshot;
  {
    std::lock_guard lock(mu_);
    auto found = snapshots_.find(id);
    if (found == snapshots_.end()) return;
    snapshot = std::move(found->second);
    snapshots_.erase(found);
  }
  std::lock_guard reading(snapshot->reading);  // a page being read ends first
  const std::string dir = snapshot->dir;
  snapshot->table.reset();
  remove(dir);
}

void ReplicationSnapshots::expire_locked() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = snapshots_.begin(); it != snapshots_.end();) {
    // One being read is not idle: its reader holds it.
    if (now - *it->second->last_used < kIdleLimit || it->second.use_count() > 1) {
      ++it;
      continue;
    }
    log::info("replication snapshot " + it->first + " unread for " +
              std::to_string(kIdleLimit.count()) + " minutes: dropped");
    const std::string dir = it->second->dir;
    it = snapshots_.erase(it);
    remove(dir);
  }
}

}  // namespace jormun::storage
