// Leases that make a cluster's GSI backfill run once, and be taken over
// when the front end running it stops (README, "Scale out").
//
// The front end that backfills an index holds the row
// "b/<table id>/<index>" of the shared catalog (storage/shared_catalog.h),
// "<front end id> <renewals>", and renews it while it works: a
// compare-and-set from the value it wrote, every third of cluster.lease_ms.
// Once it has done an item, the row also says how far it came:
// "<front end id> <items done> <last item key, hex> <renewals>" (the
// renewals stay last, where a front end of an older release reads them).
// A front end that sees the row of an index still CREATING unchanged (or
// absent) for lease_ms on its own steady clock counts the holder gone and
// takes the lease over, a compare-and-set from the value it saw: of two
// that try at once one wins, and no clocks are compared across machines.
// The taker resumes the backfill after the last item the row names. A
// holder that finds its row changed has lost the lease and stops.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "storage/shared_catalog.h"
#include "storage/table.h"

namespace jormun::storage {

// Which rows have kept one value for a whole period, as seen by this front
// end. Not thread-safe.
class StaleWatch {
 public:
  explicit StaleWatch(std::chrono::milliseconds period) : period_(period) {}
  // Notes that row `key` holds `value` now; true once it has held that
  // value for the whole period (counted from when it was first seen so).
  bool stale(const std::string& key, const std::optional<std::string>& value);
  // Forgets the rows not noted since the last sweep (no longer watched).
  void sweep();

 private:
  struct Seen {
    std::optional<std::string> value;
    std::chrono::steady_clock::time_point since;
    bool noted = true;
  };
  std::chrono::milliseconds period_;
  std::map<std::string, Seen> seen_;
};

class BackfillLease {
 public:
  // The row of the lease on index `index` of the table of id `table_id`.
  static std::string key(const std::string& table_id, const std::string& index);

  // Takes the lease in row `key` for front end `owner` from `seen`, the
  // value read there (nullopt: absent); null when another front end changed
  // it first. `what` names the index for the log ("index by_g of table
  // big"). With `takeover`, the backfill goes on from the position `seen`
  // holds (resumes()), and the new value holds it too; without, it is a new
  // backfill, and a position in `seen` (left by an earlier index of that
  // name) is ignored. Throws host::EngineError.
  static std::shared_ptr<BackfillLease> claim(SharedCatalog& catalog, std::string key,
                                              const std::optional<std::string>& seen,
                                              std::string owner,
                                              std::chrono::milliseconds period,
                                              std::string what, bool takeover = false);

  // Where the backfill starts: after the position the value taken over
  // holds (zero items: from the first item).
  const BackfillProgress& resumes() const { return resumed_; }

  // Renews the lease when a third of the period has passed since it was
  // last written, recording `done` in it when it is further than the
  // position recorded (a call without progress keeps that); false once the
  // lease is lost (another front end took it over). `done` must only name
  // an item whose index entry is committed: a takeover skips it.
  // Throws host::EngineError when the catalog cannot be written (the
  // backfill ends, and the lease runs out for another to take over).
  bool keep(const BackfillProgress& done = {});
  // Deletes the row when it still is this lease (the backfill is done).
  // Never throws: a row left behind only delays a takeover of an index of
  // that name created anew.
  void release() noexcept;

 private:
  BackfillLease(SharedCatalog& catalog, std::string key, std::string owner,
                std::chrono::milliseconds period, std::string what)
      : catalog_(catalog),
        key_(std::move(key)),
        owner_(std::move(owner)),
        period_(period),
        what_(std::move(what)) {}
  // The row's value with position `at` after `renewals` renewals.
  std::string value(const BackfillProgress& at, uint64_t renewals) const;

  SharedCatalog& catalog_;
  const std::string key_;
  const std::string owner_;
  const std::chrono::milliseconds period_;
  const std::string what_;
  BackfillProgress resumed_;
  BackfillProgress recorded_;  // the position the row holds
  uint64_t renewals_ = 0;
  std::chrono::steady_clock::time_point written_;
  bool lost_ = false;
};

}  // namespace jormun::storage
