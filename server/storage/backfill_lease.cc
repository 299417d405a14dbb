#include "storage/backfill_lease.h"

#include <charconv>

#include "common/log.h"

namespace jormun::storage {

bool StaleWatch::stale(const std::string& key, const std::optional<std::string>& value) {
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = seen_.try_emplace(key, Seen{value, now});
  Seen& seen = it->second;
  seen.noted = true;
  if (!fresh && seen.value != value) {
    seen.value = value;
    seen.since = now;
  }
  return now - seen.since >= period_;
}

void StaleWatch::sweep() {
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (!it->second.noted) {
      it = seen_.erase(it);
      continue;
    }
    it->second.noted = false;
    ++it;
  }
}

std::string BackfillLease::key(const std::string& table_id, const std::string& index) {
  // DO NOT CHANGE: every front end of a cluster must find the lease here.
  return "b/" + table_id + "/" + index;
}

std::shared_ptr<BackfillLease> BackfillLease::claim(SharedCatalog& catalog, std::string key,
                                                    const std::optional<std::string>& seen,
                                                    std::string owner,
                                                    std::chrono::milliseconds period) {
  std::shared_ptr<BackfillLease> lease(
      new BackfillLease(catalog, std::move(key), std::move(owner), period));
  if (seen) {
    // A takeover counts on from the last holder's renewals, so the row's
    // value never repeats one a watcher may have seen.
    uint64_t last = 0;
    const auto space = seen->rfind(' ');
    if (space != std::string::npos &&
        std::from_chars(seen->data() + space + 1, seen->data() + seen->size(), last).ec ==
            std::errc())
      lease->renewals_ = last + 1;
  }
  if (!catalog.swap_row(lease->key_, seen, lease->value())) return nullptr;
  lease->written_ = std::chrono::steady_clock::now();
  return lease;
}

bool BackfillLease::keep() {
  if (lost_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now - written_ < period_ / 3) return true;
  const std::string before = value();
  ++renewals_;
  if (!catalog_.swap_row(key_, before, value())) {
    lost_ = true;
    log::info("the backfill lease " + key_ + " was taken over by another front end");
    return false;
  }
  written_ = now;
  return true;
}

void BackfillLease::release() noexcept {
  try {
    if (!lost_) catalog_.swap_row(key_, value(), std::nullopt);
  } catch (const std::exception& e) {
    log::error("releasing the backfill lease " + key_ + ": " + e.what());
  }
}

}  // namespace jormun::storage
