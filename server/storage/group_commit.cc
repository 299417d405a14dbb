#include "storage/group_commit.h"

#include <utility>

namespace jormun::storage {

void GroupCommit::write(host::WriteBatch batch) {
  Writer self;
  self.batch = &batch;
  std::unique_lock lock(mu_);
  queue_.push_back(&self);
  cv_.wait(lock, [&] { return self.done || !leading_; });
  if (self.done) {
    if (self.error) std::rethrow_exception(self.error);
    return;
  }
  // Lead: this writer's batch is still queued, so it is in the group.
  leading_ = true;
  std::vector<Writer*> group;
  group.swap(queue_);
  lock.unlock();

  host::WriteBatch combined;
  for (Writer* w : group) combined.append(std::move(*w->batch));
  std::exception_ptr error;
  try {
    engine_.write(combined, true);
    ++groups_written_;
  } catch (...) {
    error = std::current_exception();
  }

  lock.lock();
  for (Writer* w : group) {
    w->done = true;
    w->error = error;
  }
  leading_ = false;
  lock.unlock();
  // Wakes this group's writers and lets one of the next group lead.
  cv_.notify_all();
  if (error) std::rethrow_exception(error);
}

}  // namespace jormun::storage
