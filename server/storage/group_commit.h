// Durable writes that share one sync (group commit).
//
// A synced engine write costs a disk flush, hundreds of microseconds. When
// several threads write to one table at once, the first to arrive becomes
// the leader: it takes every batch queued so far, applies them as one synced
// engine write, and wakes their writers; batches that arrive meanwhile form
// the next group. (RocksDB's own write thread works the same way; doing it
// here gives every engine the same behaviour.) Concurrency comes from the
// callers: the server runs writes to durable tables on a pool of commit
// threads, so up to that many writes share a flush.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <jormun/engine.hpp>
#include <mutex>
#include <vector>

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
  uint64_t groups_written() const { return groups_written_.load(); }

 private:
  struct Writer {
    host::WriteBatch* batch = nullptr;
    bool done = false;
    std::exception_ptr error;
  };

  host::Instance& engine_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Writer*> queue_;  // batches waiting for the next group
  bool leading_ = false;        // a group is being written
  std::atomic<uint64_t> groups_written_ = 0;
};

}  // namespace jormun::storage
