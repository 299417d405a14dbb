// jormun/write_group.hpp -- header-only grouping of concurrent writes, for
// hosts and engines alike.
//
// A synced write costs a disk flush. When several threads write at once,
// the first to arrive becomes the leader: it takes every write queued so
// far and applies them together (one transaction, one flush), then wakes
// their writers; writes that arrive meanwhile form the next group. This is
// the scheme of RocksDB's write thread. The jormundb host uses it for
// engines without JORMUN_CAP_CONCURRENT_SYNC, and the SQLite engine per
// partition file and for the intent log of its batches spanning files.
#ifndef JORMUN_WRITE_GROUP_HPP
#define JORMUN_WRITE_GROUP_HPP

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <vector>

namespace jormun {

// Thread-safe. `Write` is whatever one submission carries; the group holds
// pointers to the submitters' objects, which stay put while they wait.
template <typename Write>
class WriteGroup {
 public:
  // Has `write` applied as part of a group and returns once that group is
  // done. The leader calls apply(std::vector<Write*>&) with the group's
  // writes in arrival order, on its own thread; what apply throws is thrown
  // to every writer of the group.
  template <typename Apply>
  void submit(Write& write, Apply&& apply) {
    Waiter self{&write};
    std::unique_lock lock(mu_);
    queue_.push_back(&self);
    cv_.wait(lock, [&] { return self.done || !leading_; });
    if (self.done) {
      if (self.error) std::rethrow_exception(self.error);
      return;
    }
    // Lead: this writer's write is still queued, so it is in the group.
    leading_ = true;
    std::vector<Waiter*> waiters;
    waiters.swap(queue_);
    lock.unlock();

    std::vector<Write*> group;
    group.reserve(waiters.size());
    for (Waiter* w : waiters) group.push_back(w->write);
    std::exception_ptr error;
    try {
      apply(group);
      groups_.fetch_add(1, std::memory_order_relaxed);
    } catch (...) {
      error = std::current_exception();
    }

    lock.lock();
    for (Waiter* w : waiters) {
      w->done = true;
      w->error = error;
    }
    leading_ = false;
    lock.unlock();
    // Wakes this group's writers and lets one of the next group lead.
    cv_.notify_all();
    if (error) std::rethrow_exception(error);
  }

  // Groups applied so far: fewer than submissions whenever writers overlapped.
  uint64_t groups() const { return groups_.load(std::memory_order_relaxed); }

 private:
  struct Waiter {
    explicit Waiter(Write* w) : write(w) {}
    Write* write;
    bool done = false;
    std::exception_ptr error;
  };

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Waiter*> queue_;  // writes waiting for the next group
  bool leading_ = false;        // a group is being applied
  std::atomic<uint64_t> groups_ = 0;
};

}  // namespace jormun

#endif  // JORMUN_WRITE_GROUP_HPP
