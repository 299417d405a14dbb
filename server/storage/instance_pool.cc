#include "storage/instance_pool.h"

#include <dirent.h>

#include <algorithm>
#include <vector>

#include "storage/table.h"

namespace jormun::storage {

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

template <typename Enough>
void InstancePool::close_idle(const Table* keep, Enough enough) {
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
    if (enough()) break;
    t->close_if_idle();
  }
}

void InstancePool::before_open(const Table* table) {
  if (!max_files_) return;
  auto room = [&] {
    const size_t files = open_descriptors();
    const size_t tables = open_tables();
    const size_t held = files > base_files_ ? files - base_files_ : 0;
    const size_t per_table = std::max<size_t>(8, tables ? held * 3 / 2 / tables : 0);
    return files + per_table <= max_files_;
  };
  if (!room()) close_idle(table, room);
}

void InstancePool::opened(const std::shared_ptr<Table>& table) {
  bool over;
  {
    std::lock_guard lock(mu_);
    open_[table.get()] = table;
    over = max_tables_ && open_.size() > max_tables_;
  }
  over = over || (max_files_ && open_descriptors() > max_files_);
  if (!over) return;
  // Down to seven eighths of the budget, so the next opens do not each
  // close one.
  const size_t tables_goal = max_tables_ ? max_tables_ - max_tables_ / 8 : 0;
  const size_t files_goal = max_files_ ? max_files_ - max_files_ / 8 : 0;
  close_idle(table.get(), [&] {
    return (!max_tables_ || open_tables() <= tables_goal) &&
           (!max_files_ || open_descriptors() <= files_goal);
  });
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
