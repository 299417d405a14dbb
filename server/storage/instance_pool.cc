#include "storage/instance_pool.h"

#include <dirent.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "storage/table.h"

namespace jormun::storage {
namespace {

constexpr size_t kCountsPerListing = 64;
constexpr size_t kProbeRoom = 256;

struct Listing {
  size_t count = 0;    // descriptors open
  size_t highest = 0;  // the highest number open
};

Listing list_descriptors() {
  Listing out;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return out;
  const int own = ::dirfd(dir);
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    const long fd = std::strtol(e->d_name, nullptr, 10);
    if (fd == own) continue;
    ++out.count;
    out.highest = std::max(out.highest, static_cast<size_t>(fd));
  }
  ::closedir(dir);
  return out;
}

// The process's soft RLIMIT_NOFILE: every descriptor's number is below it.
size_t descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return SIZE_MAX;
  return static_cast<size_t>(limit.rlim_cur);
}

// The descriptors open among numbers 0 to bound - 1; nullopt when poll
// fails (a bound over the process's limit).
std::optional<size_t> poll_descriptors(size_t bound) {
  std::vector<pollfd> fds(bound);
  for (size_t i = 0; i < bound; ++i) fds[i] = {static_cast<int>(i), 0, 0};
  if (::poll(fds.data(), fds.size(), 0) < 0) return std::nullopt;
  return static_cast<size_t>(std::count_if(fds.begin(), fds.end(), [](const pollfd& p) {
    return (p.revents & POLLNVAL) == 0;
  }));
}

}  // namespace

InstancePool::InstancePool(size_t max_tables, size_t max_files)
    : max_tables_(max_tables), max_files_(max_files), base_files_(open_descriptors()) {}

size_t InstancePool::budget_for_limit(uint64_t limit, uint64_t configured) {
  uint64_t cap = configured ? configured : 1024;
  if (limit > 0) cap = std::min(cap, limit);
  const uint64_t reserve = std::max<uint64_t>(32, cap / 4);
  return static_cast<size_t>(std::max<uint64_t>(16, cap > reserve ? cap - reserve : 0));
}

size_t InstancePool::open_descriptors() { return list_descriptors().count; }

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

// Descriptors are counted once per open, and each table closed is taken to
// free the mean a table holds. Both budgets are brought down to seven
// eighths once exceeded, so the next opens do not each close one.
void InstancePool::before_open(const Table* table) {
  if (!max_files_) return;
  const size_t files = count_files();
  const size_t mean = mean_files(files, open_tables());
  // The newcomer: the mean, with half again for files it opens as it is used.
  const size_t needed = files + std::max<size_t>(8, mean * 3 / 2);
  if (needed <= max_files_ || mean == 0) return;
  const size_t goal = max_files_ - max_files_ / 8;
  close_idle(table, (needed - goal + mean - 1) / mean);
}

// Listing /proc/self/fd costs about 0.3 ms with 900 descriptors open, more
// than a GetItem, and with requests spread over more tables than the budget
// keeps open nearly every request opens one. poll(2) with no events over the
// numbers below a bound is as exact at a fifteenth of the cost: a number
// not open answers POLLNVAL. The bound is the last listing's highest number
// and kProbeRoom more: numbers are given lowest first, so one beyond it is
// opened only once all below it are open. A count that comes within half the
// room of the bound, every kCountsPerListing-th count, and a failed poll list
// again (a burst between two counts that fills the room and leaves a number
// beyond it open is missed until then: the quarter of the limit the budget
// keeps back absorbs it).
size_t InstancePool::count_files() {
  std::unique_lock lock(listing_mu_);
  if (probe_bound_ > 0 && ++counts_since_listing_ < kCountsPerListing) {
    // No number reaches the process's limit (and poll refuses more).
    const size_t limit = descriptor_limit();
    const size_t bound = std::min(probe_bound_, limit);
    lock.unlock();
    const std::optional<size_t> polled = poll_descriptors(bound);
    if (polled && (bound == limit || *polled + kProbeRoom / 2 < bound)) return *polled;
    lock.lock();
  }
  const Listing listing = list_descriptors();
  probe_bound_ = listing.highest + 1 + kProbeRoom;
  counts_since_listing_ = 0;
  return listing.count;
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
