// A synchronous primary's wait for its followers (config
// replication.sync, docs/replication.md): a write is acknowledged only once
// a follower has applied it, so that promoting that follower after the
// primary is lost loses no acknowledged write.
//
// Followers report how far they have applied each table's change log with
// every log request they make; a committed write waits (after its locks are
// released: WriteSet::commit) until one follower's position for its table
// is past the write's last change log number.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace jormun::storage {

class ReplicationSync {
 public:
  explicit ReplicationSync(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  // A follower has applied every change of table `table_id` numbered below
  // `next`.
  void applied(const std::string& table_id, uint64_t next);

  // Returns once a follower has applied the changes of `table_id` numbered
  // below `end`. Throws ApiError 500 InternalServerError when none has
  // within the timeout: the write stays applied on the primary.
  void wait(const std::string& table_id, uint64_t end);

 private:
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  // table id -> the furthest position any follower reported
  std::map<std::string, uint64_t> applied_;
};

}  // namespace jormun::storage
