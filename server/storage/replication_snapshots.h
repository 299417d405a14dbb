// A primary's snapshots for bootstrapping followers (docs/replication.md):
// a checkpoint of each table asked for, all taken with every one of those
// tables' writes held at once, so that each holds exactly its change log
// below a number and all are of one moment (a write set over several of
// them is in all or none); kept in <data_dir>/replication/snapshots/<id>/
// and read a page at a time over HTTP (JormunReplicationSnapshotPage) until
// the follower says it is done or leaves every snapshot taken with it
// unread for kIdleLimit.
//
// Thread-safe: pages of different snapshots are read at once; a snapshot's
// pages are read one at a time (a follower asks for the next after the one
// before).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/catalog.h"

namespace jormun::storage {

class ReplicationSnapshots {
 public:
  // A snapshot not read for this long, nor any taken with it, is dropped
  // (and its files removed): a follower reads them one after the other.
  static constexpr std::chrono::minutes kIdleLimit{10};
  // How long taking snapshots waits for each table's writes in flight to
  // end before it gives up.
  static constexpr std::chrono::seconds kHoldWait{60};

  // Empties the snapshots folder of `data_dir`: snapshots do not outlive a
  // run (their followers start again).
  ReplicationSnapshots(Catalog& catalog, const std::string& data_dir);
  // Removes every snapshot's files.
  ~ReplicationSnapshots();

  struct Taken {
    std::string id;
    TableSchema schema;     // the schema its data matches
    uint64_t position = 0;  // it holds the change log below this number
  };
  // Takes a snapshot of each of `tables` (distinct) at one moment: every
  // one's writes are held, in the write sets' lock order, while all the
  // checkpoints are taken (a memtable flush and hard links on RocksDB,
  // copies of the files on LMDB and SQLite). In the order of `tables`. Throws host::EngineError,
  // std::runtime_error (also when a table's writes did not pause within
  // kHoldWait).
  std::vector<Taken> take(const std::vector<Table*>& tables);

  // Visits, in key order, the stored items of snapshot `id` after engine
  // key `start_after` (none: from the first), at most `limit` and about 1 MB
  // (storage::kMaxPageBytes); returns the engine key of the last visited
  // when more remain. Throws ApiError ResourceNotFoundException for an
  // unknown (or dropped) snapshot.
  std::optional<std::string> page(const std::string& id,
                                  const std::optional<std::string>& start_after,
                                  size_t limit,
                                  const std::function<void(std::string_view)>& visit);

  // Drops snapshot `id` (nothing when unknown).
  void done(const std::string& id);

 private:
  struct Snapshot {
    std::shared_ptr<Table> table;  // a private Table on the checkpoint
    std::string dir;
    // Of every snapshot taken with it: reading one keeps all of them.
    std::shared_ptr<std::chrono::steady_clock::time_point> last_used;
    std::mutex reading;  // one page at a time
  };
  // Drops the snapshots idle past kIdleLimit. REQUIRES: mu_ held.
  void expire_locked();
  static void remove(const std::string& dir) noexcept;

  Catalog& catalog_;
  std::string dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Snapshot>> snapshots_;
};

}  // namespace jormun::storage
