#include "storage/backfill_lease.h"

#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

#include "common/hex.h"
#include "common/log.h"

namespace jormun::storage {
namespace {

// What a lease row's value says: the holder's renewals (last, in both
// forms; nullopt when unreadable) and its position (none, zero items, in
// the form without one and in one this release cannot read, which the
// backfill then does again from the first item).
struct Held {
  std::optional<uint64_t> renewals;
  BackfillProgress at;
};

Held parse(std::string_view value) {
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    const size_t space = value.find(' ', start);
    fields.push_back(value.substr(start, space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  Held held;
  uint64_t n = 0;
  const std::string_view last = fields.back();
  if (fields.size() > 1 &&
      std::from_chars(last.data(), last.data() + last.size(), n).ec == std::errc())
    held.renewals = n;
  if (fields.size() != 4) return held;
  const std::string_view items = fields[1];
  auto key = from_hex(fields[2]);
  if (std::from_chars(items.data(), items.data() + items.size(), n).ec == std::errc() && key &&
      !key->empty())
    held.at = {n, std::move(*key)};
  return held;
}

}  // namespace

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
                                                    std::chrono::milliseconds period,
                                                    std::string what, bool takeover) {
  std::shared_ptr<BackfillLease> lease(new BackfillLease(
      catalog, std::move(key), std::move(owner), period, std::move(what)));
  if (seen) {
    const Held held = parse(*seen);
    // A takeover counts on from the last holder's renewals, so the row's
    // value never repeats one a watcher may have seen.
    if (held.renewals) lease->renewals_ = *held.renewals + 1;
    if (takeover) lease->resumed_ = lease->recorded_ = held.at;
  }
  if (!catalog.swap_row(lease->key_, seen, lease->value(lease->recorded_, lease->renewals_)))
    return nullptr;
  lease->written_ = std::chrono::steady_clock::now();
  return lease;
}

std::string BackfillLease::value(const BackfillProgress& at, uint64_t renewals) const {
  std::string v = owner_ + " ";
  if (at.items > 0) v += std::to_string(at.items) + " " + to_hex(at.last_key) + " ";
  return v + std::to_string(renewals);
}

bool BackfillLease::keep(const BackfillProgress& done) {
  if (lost_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now - written_ < period_ / 3) return true;
  // Only the renewals write the position: what the calls between them were
  // given is behind what this one is, the backfill going forward.
  const bool further = done.items > recorded_.items;
  if (!catalog_.swap_row(key_, value(recorded_, renewals_),
                         value(further ? done : recorded_, renewals_ + 1))) {
    lost_ = true;
    log::info("the backfill lease " + key_ + " was taken over by another front end");
    return false;
  }
  ++renewals_;
  written_ = now;
  if (further) {
    recorded_ = done;
    log::info("cluster: backfill of " + what_ + ": " + std::to_string(done.items) +
              " items done");
  }
  return true;
}

void BackfillLease::release() noexcept {
  try {
    if (!lost_) catalog_.swap_row(key_, value(recorded_, renewals_), std::nullopt);
  } catch (const std::exception& e) {
    log::error("releasing the backfill lease " + key_ + ": " + e.what());
  }
}

}  // namespace jormun::storage
