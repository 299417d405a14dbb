// A read replica (docs/replication.md): one thread that copies every table
// of the primary at replication.follow and then tails the primary's change
// log, applying it through the replica's own write path, while the server
// serves reads from the copies. Started by main when replication.follow is
// set and the server was never promoted (storage::ReplicationIdentity).
//
// The thread never ends on a fault: a primary that cannot be reached, or
// that answers an error, is logged and asked again after a growing pause
// (up to kMaxBackoff), and the replica keeps serving what it has.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "replication/log_units.h"
#include "storage/catalog.h"
#include "storage/replication_identity.h"

namespace jormun::replication {

class PrimaryLink;
struct PrimaryCatalog;
struct Snapshot;

enum class TableState { kBootstrapping, kFollowing };
std::string_view state_name(TableState state);  // "BOOTSTRAPPING", "FOLLOWING"

// What the replica knows of one copy (JormunReplicationStatus, metrics,
// DescribeTable's JormunReplication).
struct TableStatus {
  std::string name;
  std::string id;  // the primary's TableId, which the copy keeps
  TableState state = TableState::kBootstrapping;
  uint64_t applied = 0;        // every change numbered below it is applied
  int64_t lag_ms = 0;          // how far the copy is behind the primary's clock
  uint64_t applied_total = 0;  // changes applied in this run
};

class Follower {
 public:
  static constexpr std::chrono::seconds kMaxBackoff{5};
  // How long a table's copy is held at its part of a write set over several
  // tables for a partner's part that does not come (docs/replication.md);
  // then the part is applied alone.
  static constexpr std::chrono::seconds kPartWait{30};
  // At most about this many changes of one table share a commit.
  static constexpr size_t kChangesPerCommit = 1000;

  // Everything given must outlive the follower. Registers the replication
  // metrics. Does not start the thread.
  Follower(storage::Catalog& catalog, const config::Config& config,
           storage::ReplicationIdentity& identity);
  // Stops the thread and joins it.
  ~Follower();
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // Starts the thread; `advertise` is the URL the primary is told this
  // replica is at.
  void start(std::string advertise);

  // True until promoted: writes are refused (or forwarded) meanwhile.
  bool following() const { return following_.load(); }
  const std::string& primary_url() const { return config_.replication.follow; }

  std::vector<TableStatus> status() const;
  std::optional<TableStatus> table_status(std::string_view name) const;

  // Stops following for good: the thread ends, the data dir records that
  // this server is a primary promoted from the primary it followed, and
  // writes are taken from then on. Returns that primary's id. Throws
  // ApiError ValidationException when no primary was ever reached (so
  // there is nothing to promote from) or a table is still being copied,
  // std::runtime_error when the record cannot be written.
  std::string promote();

 private:
  void run(std::stop_token stop) noexcept;
  // One connection's life: reads the catalog, copies what is missing, then
  // tails until a fault or a stop.
  void session(std::stop_token stop);
  // Drops every copy when the data came from another primary.
  void adopt_primary(const std::string& primary_id);
  // Makes the copies match the primary's catalog.
  void reconcile(PrimaryLink& link, const PrimaryCatalog& catalog, std::stop_token stop);
  // Copies the primary's tables `names` anew (any local table of those
  // names is dropped first), from snapshots the primary takes at one
  // moment, so the copies agree on every write set over several of them.
  void bootstrap(PrimaryLink& link, const std::vector<std::string>& names,
                 std::stop_token stop);
  // Makes the copy of one of those snapshots, its position last.
  void copy(PrimaryLink& link, const Snapshot& snapshot, std::stop_token stop);
  void drop_local(const std::string& name, std::string_view why);
  // One log request and what it brings; true when records came.
  bool tail_once(PrimaryLink& link, std::stop_token stop);
  void set_copy(const std::string& id, TableStatus status);

  // What one log answer brought for the followed tables, by TableId.
  struct AnswerUnits {
    std::map<std::string, TableUnits> tables;
    std::map<std::string, std::shared_ptr<storage::Table>> open;
    std::map<std::string, uint64_t> end;  // the log's end (absent: copied again just now)
  };
  // Applies `units` in schedule_units' commits and records the positions
  // and lag (`time_ms`: the primary's clock); true when anything was.
  bool apply_answer(const AnswerUnits& units, int64_t time_ms);
  // The parts held longer than kPartWait, to apply alone now (logged).
  std::set<std::pair<std::string, uint64_t>> overdue_parts();
  std::string table_name(const std::string& id) const;

  storage::Catalog& catalog_;
  const config::Config& config_;
  storage::ReplicationIdentity& identity_;
  std::string advertise_;  // set before the thread starts
  std::atomic<bool> following_{true};

  mutable std::mutex mu_;                      // guards the members below
  std::map<std::string, TableStatus> copies_;  // by TableId
  std::string primary_id_;                     // the primary's id, once known
  std::string catalog_version_;                // the last one reconciled

  // The tables held at a part of a set over several tables, waiting for a
  // partner's part, and since when (the follower's thread only).
  struct PartWait {
    uint64_t first = 0;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::string, PartWait> waits_;

  std::mutex promote_mu_;  // one promotion at a time
  std::jthread thread_;    // last: stopped and joined first
};

}  // namespace jormun::replication
