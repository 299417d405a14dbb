#include "range_iterator.h"

namespace jormun::sqlite {

RangeIterator::RangeIterator(std::vector<Partition*> order, int64_t keyspace,
                             const plugin::Range& range)
    : order_(std::move(order)),
      keyspace_(keyspace),
      lower_kind_(range.lower_kind),
      upper_kind_(range.upper_kind),
      lower_(range.lower),
      upper_(range.upper),
      reverse_(range.reverse) {}

bool RangeIterator::next(jormun_bytes* key, jormun_bytes* value) {
  // A failed step must not look like the end of the range, nor restart the
  // partition's query: the cursor keeps failing with the same error.
  if (failure_) std::rethrow_exception(failure_);
  try {
    return advance(key, value);
  } catch (...) {
    failure_ = std::current_exception();
    leave_partition();
    throw;
  }
}

bool RangeIterator::advance(jormun_bytes* key, jormun_bytes* value) {
  for (;;) {
    if (statement_ == nullptr) {
      if (next_partition_ == order_.size()) return false;
      enter_partition(*order_[next_partition_++]);
    }
    if (statement_->step()) {
      std::string_view k = statement_->blob(0);
      std::string_view v = statement_->blob(1);
      *key = {reinterpret_cast<const uint8_t*>(k.data()), k.size()};
      *value = {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
      return true;
    }
    leave_partition();
  }
}

void RangeIterator::enter_partition(Partition& partition) {
  lease_.emplace(partition.lease_reader());
  Statement& s = (*lease_)->range(lower_kind_, upper_kind_, reverse_);
  s.bind(1, keyspace_);
  if (lower_kind_ != JORMUN_BOUND_NONE) s.bind(2, lower_);
  if (upper_kind_ != JORMUN_BOUND_NONE) s.bind(3, upper_);
  statement_ = &s;
}

void RangeIterator::leave_partition() noexcept {
  // Resetting ends the statement's read transaction before the connection
  // goes back to the pool.
  if (statement_ != nullptr) statement_->reset();
  statement_ = nullptr;
  lease_.reset();
}

}  // namespace jormun::sqlite
