// Which front ends of a cluster are alive, and which catalog version each
// has applied (README, "Scale out"): what lets a new index's backfill start
// only once every live front end's writes maintain the index.
//
// Each front end keeps the row "f/<front end id>" of the shared catalog
// (storage/shared_catalog.h) at "<version> <beats>": the catalog version it
// has applied (Catalog::sync_locked done, so every write it stages from
// then on maintains that version's indexes) and a count bumped at least
// every third of cluster.lease_ms while it runs. A row that another front
// end sees unchanged for lease_ms is of a front end gone (as for leases,
// storage/backfill_lease.h: judged by the watcher's clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "storage/shared_catalog.h"

namespace jormun::storage {

class ClusterPresence {
 public:
  // The presence of front end `id` in `catalog`, renewed every third of
  // `period`. Writes nothing yet.
  ClusterPresence(SharedCatalog& catalog, std::string id, std::chrono::milliseconds period)
      : catalog_(catalog), id_(std::move(id)), period_(period) {}

  // Records that this front end has applied catalog version `version` (0:
  // none yet, written before the front end first reads the catalog, so a
  // backfill waits for it); writes only when the version changed or a
  // renewal is due. Throws host::EngineError.
  void announce(uint64_t version);
  // Deletes the row (the front end stops). Never throws.
  void leave() noexcept;

  // Waits until every other live front end has applied catalog version
  // `version`: those whose rows stay behind it and unchanged for the period
  // are counted gone (and their rows deleted). Checks every `poll`; calls
  // `keep` (a backfill's lease) each time. False when `stop` is requested
  // or `keep` says no first. Throws host::EngineError.
  bool wait_for(uint64_t version, std::chrono::milliseconds poll, std::stop_token stop,
                const std::function<bool()>& keep);

 private:
  SharedCatalog& catalog_;
  const std::string id_;
  const std::chrono::milliseconds period_;
  std::optional<std::string> written_;  // the row's value as last written
  uint64_t version_ = 0;
  uint64_t beats_ = 0;
  std::chrono::steady_clock::time_point written_at_;
};

}  // namespace jormun::storage
