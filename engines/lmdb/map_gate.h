// map_gate.h -- who may touch the memory map while it is being resized.
//
// mdb_env_set_mapsize() unmaps and remaps the data file, so no thread of this
// process may be inside an LMDB call, or hold a pointer into the map, or have
// an active read transaction while it runs. Every engine call that touches the
// map holds the gate shared for the duration of the call; growth holds it
// exclusive. It is a writer-preferring lock: once growth asks, new shared
// holders wait, so a steady stream of readers cannot starve the writer that
// needs more room. Shared holds must never nest (a nested one could wait on a
// pending exclusive that waits on the outer one).
#ifndef JORMUN_LMDB_MAP_GATE_H
#define JORMUN_LMDB_MAP_GATE_H

#include <condition_variable>
#include <mutex>

namespace jormun::lmdb {

class MapGate {
 public:
  void lock_shared() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !exclusive_; });
    ++shared_;
  }
  void unlock_shared() {
    std::lock_guard lock(mutex_);
    if (--shared_ == 0) changed_.notify_all();
  }
  void lock() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !exclusive_; });
    exclusive_ = true;
    changed_.wait(lock, [&] { return shared_ == 0; });
  }
  void unlock() {
    std::lock_guard lock(mutex_);
    exclusive_ = false;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int shared_ = 0;
  bool exclusive_ = false;  // asked for or held
};

}  // namespace jormun::lmdb

#endif  // JORMUN_LMDB_MAP_GATE_H
