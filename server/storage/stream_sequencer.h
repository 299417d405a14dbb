// Sequence numbers of a table's stream records, and how far readers may see.
//
// A write set takes a number when it stages a record and commits later, so
// records are not written in number order: a reader that went past number n
// before an earlier number committed would skip that record for good. A
// number is therefore "in flight" from take() until done() (after the
// commit, or when the set is dropped), and readers stop below the lowest
// number in flight (visible_end()). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace jormun::storage {

class StreamSequencer {
 public:
  // `next` is the first number to hand out (one past the last on disk).
  explicit StreamSequencer(uint64_t next) : next_(next) {}

  // A new number, larger than every number taken before; in flight until
  // done().
  uint64_t take() {
    std::lock_guard lock(mu_);
    in_flight_.insert(next_);
    return next_++;
  }
  // Numbers below `next` are taken (records recovery wrote at start-up).
  void skip_to(uint64_t next) {
    std::lock_guard lock(mu_);
    if (next > next_) next_ = next;
  }
  // Its record is committed, or will never be.
  void done(uint64_t sequence) {
    std::lock_guard lock(mu_);
    in_flight_.erase(sequence);
  }
  // Every record numbered below this is committed or will never be.
  uint64_t visible_end() const {
    std::lock_guard lock(mu_);
    return in_flight_.empty() ? next_ : *in_flight_.begin();
  }

 private:
  mutable std::mutex mu_;
  uint64_t next_;
  std::set<uint64_t> in_flight_;
};

// The numbers one write set took from one sequencer, given back (done())
// when the set is destroyed: after its commit, or unwritten.
class SequenceHold {
 public:
  SequenceHold() = default;
  SequenceHold(SequenceHold&& o) noexcept
      : sequencer_(o.sequencer_), taken_(std::exchange(o.taken_, {})) {}
  SequenceHold& operator=(SequenceHold&&) = delete;
  ~SequenceHold() {
    for (uint64_t s : taken_) sequencer_->done(s);
  }

  uint64_t take(StreamSequencer& sequencer) {
    sequencer_ = &sequencer;
    taken_.push_back(sequencer.take());
    return taken_.back();
  }

 private:
  StreamSequencer* sequencer_ = nullptr;
  std::vector<uint64_t> taken_;
};

}  // namespace jormun::storage
