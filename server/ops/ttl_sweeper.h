// Time to Live's deletions: one background thread that sweeps every table
// with TTL enabled (storage::TableSchema::ttl_attribute) every
// config::TtlConfig::sweep_interval_seconds, deleting the items whose TTL
// attribute is a Number of epoch seconds before now.
//
// Each deletion goes through storage's write path (storage/write_set.h) as
// a write of its own, so index entries go with the item in one batch, and
// the expiry is decided again under the item's lock: a write that renewed
// the item (or removed its TTL attribute) since the sweep read it wins, and
// the item stays. Deletions are paced to max_deletes_per_second over all
// tables, and a table is held only for a short chunk of its items at a
// time, so DeleteTable never waits for a whole sweep.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "config/ttl_config.h"
#include "model/attribute_value.h"
#include "storage/catalog.h"
#include "storage/write_set.h"

namespace jormun::ops {

// Whether `item` has expired at `now` (epoch seconds) when `attribute` is
// its TTL attribute: the attribute is a Number less than `now`. Items
// without it, or with a value of any other type, never expire.
bool ttl_expired(const model::Item& item, const std::string& attribute,
                 const model::Decimal& now);

// The write that deletes an item if it is still expired when locked
// (needs the stored item; a refusal when it is absent or not expired, which
// writes nothing). `attribute` and `now` must outlive it.
storage::Mutation expiry_mutation(const std::string& attribute,
                                  const model::Decimal& now);

// What expiry_mutation throws to leave an item in place.
struct NotExpired {};

class TtlSweeper {
 public:
  // Starts the thread. `catalog` and `config` must outlive the sweeper.
  // While `paused` answers true (a read replica following its primary, whose
  // own deletions arrive in its log), sweeps are skipped; a promoted replica
  // sweeps from its next interval on.
  TtlSweeper(storage::Catalog& catalog, const config::TtlConfig& config,
             std::function<bool()> paused = {});
  // Stops the thread (an ongoing wait or chunk ends early) and joins it:
  // the jthread member does, as it is destroyed first.
  ~TtlSweeper() = default;
  TtlSweeper(const TtlSweeper&) = delete;
  TtlSweeper& operator=(const TtlSweeper&) = delete;

 private:
  void run(std::stop_token stop);
  void sweep_table(const std::string& name, std::stop_token stop);
  // Waits until a deletion is allowed by the rate limit; false when stopped.
  bool wait_for_budget(std::stop_token stop);
  // The server clock (common/clock.h) in epoch seconds.
  model::Decimal now() const;

  storage::Catalog& catalog_;
  const config::TtlConfig& config_;
  std::function<bool()> paused_;
  // The rate limit: deletions in the current one-second window.
  std::chrono::steady_clock::time_point window_start_;
  unsigned window_deletes_ = 0;
  std::jthread thread_;  // last: starts once the members above exist
};

}  // namespace jormun::ops
