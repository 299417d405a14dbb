// range_iterator.h -- a cursor over one keyspace across partition files.
//
// Partitions cover contiguous, ordered ranges of keys, so the cursor visits
// the files that can hold keys within the bounds one after another (in
// reverse order for a reverse scan) and never merges. In each file it holds a
// leased read connection and one running statement, which reads one
// committed state of that file; a later file is read as it is when the
// cursor gets there (the engine does not offer snapshots across files).
//
// Not thread-safe: one thread at a time, as the ABI says.
#ifndef JORMUN_ENGINES_SQLITE_RANGE_ITERATOR_H
#define JORMUN_ENGINES_SQLITE_RANGE_ITERATOR_H

#include <jormun/plugin.hpp>

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "partition.h"

namespace jormun::sqlite {

class RangeIterator final : public plugin::Iterator {
 public:
  // `order`: the partitions to visit, in visiting order. Copies the bounds.
  RangeIterator(std::vector<Partition*> order, int64_t keyspace,
                const plugin::Range& range);
  ~RangeIterator() override { leave_partition(); }

  bool next(jormun_bytes* key, jormun_bytes* value) override;

 private:
  bool advance(jormun_bytes* key, jormun_bytes* value);
  void enter_partition(Partition& partition);
  void leave_partition() noexcept;

  std::vector<Partition*> order_;
  size_t next_partition_ = 0;
  int64_t keyspace_;
  uint32_t lower_kind_;
  uint32_t upper_kind_;
  std::string lower_;
  std::string upper_;
  bool reverse_;

  std::optional<ReaderLease> lease_;
  Statement* statement_ = nullptr;  // running in lease_, when set
  std::exception_ptr failure_;
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_RANGE_ITERATOR_H
