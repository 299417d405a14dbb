#include "storage/cluster_presence.h"

#include <charconv>
#include <map>

#include "common/log.h"
#include "common/stop_wait.h"
#include "storage/backfill_lease.h"

namespace jormun::storage {
namespace {

// DO NOT CHANGE: every front end of a cluster reads these rows.
constexpr const char* kPrefix = "f/";

// The version a presence row holds; 0 when it does not parse.
uint64_t version_of(const std::string& value) {
  uint64_t v = 0;
  std::from_chars(value.data(), value.data() + value.size(), v);
  return v;
}

}  // namespace

void ClusterPresence::announce(uint64_t version) {
  const auto now = std::chrono::steady_clock::now();
  if (written_ && version == version_ && now - written_at_ < period_ / 3) return;
  const std::string key = kPrefix + id_;
  const std::string value = std::to_string(version) + " " + std::to_string(++beats_);
  if (!catalog_.swap_row(key, written_, value)) {
    // Another front end saw this one silent for a whole period and deleted
    // its row: its writes may have missed an index meanwhile.
    log::error("cluster: front end " + id_ +
               " was counted gone by another (silent for cluster.lease_ms)");
    if (!catalog_.swap_row(key, std::nullopt, value)) return;
  }
  written_ = value;
  version_ = version;
  written_at_ = now;
}

void ClusterPresence::leave() noexcept {
  try {
    if (written_) catalog_.swap_row(kPrefix + id_, written_, std::nullopt);
  } catch (const std::exception& e) {
    log::error(std::string("cluster: removing this front end's presence: ") + e.what());
  }
}

bool ClusterPresence::wait_for(uint64_t version, std::chrono::milliseconds poll,
                               std::stop_token stop, const std::function<bool()>& keep) {
  StaleWatch watch(period_);
  for (;;) {
    if (stop.stop_requested() || !keep()) return false;
    bool behind = false;
    for (const auto& [key, value] : catalog_.rows(kPrefix)) {
      if (key == kPrefix + id_ || version_of(value) >= version) continue;
      if (!watch.stale(key, value)) {
        behind = true;
        continue;
      }
      log::info("cluster: front end " + key.substr(std::string_view(kPrefix).size()) + " counted gone (silent for " +
                std::to_string(period_.count()) + " ms)");
      catalog_.swap_row(key, value, std::nullopt);
    }
    if (!behind) return true;
    pause_unless_stopped(poll, stop);
  }
}

}  // namespace jormun::storage
