#include "storage/instance_pool.h"

#include <dirent.h>

#include <algorithm>
#include <vector>

#include "storage/table.h"

namespace jormun::storage {
namespace {

constexpr size_t kOpensPerListing = 64;

}  // namespace

InstancePool::InstancePool(size_t max_tables, size_t max_files)
    : max_tables_(max_tables), max_files_(max_files), base_files_(open_descriptors()) {}

size_t InstancePool::budget_for_limit(uint64_t limit, uint64_t configured) {
  uint64_t cap = configured ? configured : 1024;
  if (limit > 0) cap = std::min(cap, limit);
  const uint64_t reserve = std::max<uint64_t>(32, cap / 4);
  return static_cast<size_t>(std::max<uint64_t>(16, cap > reserve ? cap - reserve : 0));
}

size_t InstancePool::open_descriptors() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return 0;
  size_t n = 0;
  while (const dirent* e = ::readdir(dir))
    if (e->d_name[0] != '.') ++n;
  ::closedir(dir);
  return n > 0 ? n - 1 : 0;  // less the directory's own
}

size_t InstancePool::mean_files(size_t files, size_t tables) const {
  const size_t held = files > base_files_ ? files - base_files_ : 0;
  return tables ? std::max<size_t>(1, held / tables) : 0;
}

void InstancePool::close_idle(const Table* keep, size_t count) {
  if (count == 0) return;
  std::vector<std::shared_ptr<Table>> idle;  // least recently used first
  {
    std::lock_guard lock(mu_);
    for (auto it = open_.begin(); it != open_.end();) {
      auto t = it->second.lock();
      if (!t) {
        it = open_.erase(it);
        continue;
      }
      if (t.get() != keep) idle.push_back(std::move(t));
      ++it;
    }
  }
  std::sort(idle.begin(), idle.end(), [](const auto& a, const auto& b) {
    return a->last_used() < b->last_used();
  });
  for (auto& t : idle) {
    if (count == 0) break;
    if (t->close_if_idle()) --count;
  }
}

// Listing /proc/self/fd costs about 0.3 ms with 900 descriptors open (more
// than a GetItem), and with many tables over the budget nearly every request
// opens one: so the count is listed at most once every kOpensPerListing
// opens, and estimated in between as the last listing plus the mean a table
// held then for each table opened since (less for each closed). An estimate
// over the budget is listed before tables are closed for it, so the closing
// is decided on the true count; the quarter of the limit the budget keeps
// back (budget_for_limit) absorbs what tables open beyond their mean
// between listings. Both budgets are brought down to seven eighths once
// exceeded, so the next opens do not each close one.
void InstancePool::before_open(const Table* table) {
  if (!max_files_) return;
  const size_t tables = open_tables();
  // The newcomer: the mean, with half again for files it opens as it is used.
  auto needed = [&](size_t files) {
    return files + std::max<size_t>(8, mean_files(files, tables) * 3 / 2);
  };
  std::optional<size_t> files = estimated_files(tables);
  if (!files || needed(*files) > max_files_) files = listed_files(tables);
  const size_t mean = mean_files(*files, tables);
  if (needed(*files) <= max_files_ || mean == 0) return;
  const size_t goal = max_files_ - max_files_ / 8;
  close_idle(table, (needed(*files) - goal + mean - 1) / mean);
}

std::optional<size_t> InstancePool::estimated_files(size_t tables) {
  std::lock_guard lock(listing_mu_);
  // No table open at the last listing: no mean to estimate with.
  if (listed_tables_ == 0 || ++opens_since_listing_ >= kOpensPerListing) return std::nullopt;
  const auto mean = static_cast<int64_t>(mean_files(listed_files_, listed_tables_));
  const int64_t files = static_cast<int64_t>(listed_files_) +
                        (static_cast<int64_t>(tables) - static_cast<int64_t>(listed_tables_)) * mean;
  return static_cast<size_t>(std::max<int64_t>(files, 0));
}

size_t InstancePool::listed_files(size_t tables) {
  const size_t files = open_descriptors();
  std::lock_guard lock(listing_mu_);
  listed_files_ = files;
  listed_tables_ = tables;
  opens_since_listing_ = 0;
  return files;
}

void InstancePool::opened(const std::shared_ptr<Table>& table) {
  size_t tables;
  {
    std::lock_guard lock(mu_);
    open_[table.get()] = table;
    tables = open_.size();
  }
  if (max_tables_ && tables > max_tables_)
    close_idle(table.get(), tables - (max_tables_ - max_tables_ / 8));
}

void InstancePool::closed(const Table* table) {
  std::lock_guard lock(mu_);
  open_.erase(table);
}

size_t InstancePool::open_tables() const {
  std::lock_guard lock(mu_);
  return open_.size();
}

}  // namespace jormun::storage
