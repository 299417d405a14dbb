// Durable writes that share one sync, for engines that do not share syncs
// among concurrent writers themselves (no JORMUN_CAP_CONCURRENT_SYNC, such as
// LMDB with its single writer): concurrent batches are merged into one
// synced engine write (jormun/write_group.hpp). Concurrency comes from the
// callers: the server runs writes to durable tables on a pool of commit
// threads, so up to that many writes share a flush.
#pragma once

#include <cstdint>
#include <jormun/engine.hpp>
#include <jormun/write_group.hpp>

namespace jormun::storage {

// Thread-safe.
class GroupCommit {
 public:
  // `engine` must outlive this.
  explicit GroupCommit(host::Instance& engine) : engine_(engine) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Applies `batch` atomically and durably, and returns once it is on disk.
  // Throws what the engine's write threw; a failed engine write fails every
  // batch of its group (engine failures are internal faults).
  void write(host::WriteBatch batch);

  // Synced engine writes done so far: fewer than write() calls whenever
  // writers overlapped.
  uint64_t groups_written() const { return group_.groups(); }

 private:
  host::Instance& engine_;
  WriteGroup<host::WriteBatch> group_;
};

}  // namespace jormun::storage
