// Writes that share one engine transaction, for engines that do not share
// syncs among concurrent writers themselves (no JORMUN_CAP_CONCURRENT_SYNC,
// such as LMDB with its single writer): concurrent batches are merged into
// one engine write (jormun/write_group.hpp). Such an engine pays for every
// commit, synced or not (LMDB flushes its data pages on each one), so every
// write of such a table goes through here, and the merged write is synced
// when any batch of it asked to be. Concurrency comes from the callers: the
// server runs these writes on a pool of commit threads (ops/durability.h),
// so up to that many writes share a commit.
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

  // Applies `batch` atomically, durably when `sync`, and returns once its
  // group is written. Throws what the engine's write threw; a failed engine
  // write fails every batch of its group (engine failures are internal
  // faults).
  void write(host::WriteBatch batch, bool sync = true);

  // Engine writes done so far: fewer than write() calls whenever writers
  // overlapped.
  uint64_t groups_written() const { return group_.groups(); }

 private:
  struct Submission {
    host::WriteBatch batch;
    bool sync;
  };

  host::Instance& engine_;
  WriteGroup<Submission> group_;
};

}  // namespace jormun::storage
