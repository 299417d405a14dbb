// The item counts of storage::Table (storage/table_counts.h): the figures,
// their recount and their saved copy.
#include "common/log.h"
#include "common/scope_exit.h"
#include "storage/table.h"

namespace jormun::storage {
namespace {

// Entries a recount reads per chunk, while the table's writes wait: about
// as long a hold as one synced commit.
constexpr size_t kRecountChunk = 1024;

}  // namespace

Stats Table::stats() const {
  std::lock_guard lock(counts_mu_);
  Stats s;
  static_cast<Counts&>(s) = item_counts_->figures();
  for (const auto& index : schema().indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    // A schema installed a moment ago may not have its counts yet.
    auto it = index_counts_.find(index.name);
    s.indexes.emplace_back(index.name,
                           it == index_counts_.end() ? Counts{} : it->second->figures());
  }
  return s;
}

NetStats Table::net_stats() const {
  std::lock_guard lock(counts_mu_);
  NetStats s;
  if (auto net = item_counts_->net()) s.table = *net;
  for (const auto& index : schema().indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    auto it = index_counts_.find(index.name);
    if (it == index_counts_.end()) continue;
    if (auto net = it->second->net()) s.indexes.emplace_back(index.name, *net);
  }
  return s;
}

bool Table::needs_recount() const {
  std::lock_guard lock(counts_mu_);
  if (item_counts_->recounting()) return true;
  for (const auto& index : schema().indexes) {
    if (index.state != IndexSchema::State::kActive) continue;
    auto it = index_counts_.find(index.name);
    if (it != index_counts_.end() && it->second->recounting()) return true;
  }
  return false;
}

bool Table::recount(std::stop_token stop) {
  {
    std::lock_guard lock(backfill_mu_);
    if (backfills_stopped_) return false;
    ++recounts_;
  }
  ScopeExit done([this]() noexcept {
    std::lock_guard lock(backfill_mu_);
    --recounts_;
    recounts_cv_.notify_all();
  });
  if (!recount_keyspace({}, stop)) return false;
  // An index being created is recounted by its backfill, once done.
  for (const auto& index : schema().indexes)
    if (index.state == IndexSchema::State::kActive && !recount_keyspace(index.name, stop))
      return false;
  return true;
}

KeyspaceCount* Table::keyspace_count(const std::string& index) const {
  if (index.empty()) return item_counts_.get();
  auto it = index_counts_.find(index);
  return it == index_counts_.end() ? nullptr : it->second.get();
}

bool Table::recount_keyspace(const std::string& index, std::stop_token stop,
                             const std::function<bool(std::stop_token)>& keep) {
  for (;;) {
    {
      std::lock_guard lock(backfill_mu_);
      if (stop.stop_requested() || backfills_stopped_) return false;
    }
    if (keep && !keep(stop)) return false;
    Lease use(*this);
    // Exclusive: no write is between its stage and its commit, so what the
    // chunk reads and the position it moves to agree with every write.
    std::unique_lock gate(write_gate_);
    KeyspaceCount* count = keyspace_count(index);
    if (!count || !count->recounting()) return true;
    host::Keyspace ks = items_;
    if (!index.empty()) {
      auto it = index_keyspaces_.find(index);
      if (it == index_keyspaces_.end()) return true;  // dropped meanwhile
      ks = it->second;
    }
    Counts chunk;
    std::string last;
    const bool done =
        count_chunk(*engine_, ks, count->resume_after(), kRecountChunk, &chunk, &last);
    count->scanned(chunk, std::move(last), done);
    if (done) return true;
  }
}

void Table::adopt_index_counts(const TableSchema& schema, const Stats* saved) {
  std::lock_guard lock(counts_mu_);
  std::erase_if(index_counts_, [&](const auto& entry) {
    for (const auto& index : schema.indexes)
      if (index.name == entry.first) return index.state == IndexSchema::State::kDeleting;
    return true;
  });
  for (const auto& index : schema.indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    auto known = index_counts_.find(index.name);
    if (known != index_counts_.end()) {
      // Counts from zero (a cluster's): an index another front end
      // backfilled counts this one's writes from its activation on (a
      // recount of it here, if any, ends at its next chunk).
      if (counts_dir_.empty() && index.state == IndexSchema::State::kActive &&
          known->second->recounting())
        known->second = std::make_unique<KeyspaceCount>(Counts{});
      continue;
    }
    const Counts* figures = saved ? saved->index(index.name) : nullptr;
    if (figures && index.state == IndexSchema::State::kActive)
      index_counts_[index.name] = std::make_unique<KeyspaceCount>(*figures);
    else
      index_counts_[index.name] = KeyspaceCount::unknown(figures ? *figures : Counts{});
  }
}

void Table::forget_counts() {
  std::unique_lock gate(write_gate_);
  std::lock_guard lock(counts_mu_);
  item_counts_ = KeyspaceCount::unknown(item_counts_->figures());
  for (auto& [name, count] : index_counts_) count = KeyspaceCount::unknown(count->figures());
}

void Table::unsave_counts() {
  if (!counts_saved_.load()) return;
  std::lock_guard lock(counts_file_mu_);
  if (!counts_saved_.load()) return;
  forget_saved_counts(counts_dir_);
  counts_saved_.store(false);
}

void Table::save_counts_if_exact() noexcept {
  if (counts_dir_.empty() || counts_saved_.load()) return;
  Stats stats;
  {
    std::lock_guard lock(counts_mu_);
    auto items = item_counts_->exact();
    if (!items) return;
    static_cast<Counts&>(stats) = *items;
    for (const auto& [name, count] : index_counts_) {
      auto figures = count->exact();
      if (!figures) return;
      stats.indexes.emplace_back(name, *figures);
    }
  }
  std::lock_guard lock(counts_file_mu_);
  try {
    save_counts(counts_dir_, stats);
    counts_saved_.store(true);
  } catch (const std::exception& e) {
    log::error("item counts of table " + schema().name +
               " not saved, the next start recounts them: " + e.what());
  }
}

}  // namespace jormun::storage
