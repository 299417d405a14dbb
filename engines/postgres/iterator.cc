#include "iterator.h"

#include "key_split.h"
#include "retry.h"

namespace jormun::postgres {
namespace {

constexpr uint32_t kMaxPage = 256;

}  // namespace

PgIterator::PgIterator(Pool& pool, PgSnapshot* snapshot, const PgKeyspace& keyspace,
                       const plugin::Range& range)
    : pool_(pool),
      snapshot_(snapshot),
      keyspace_(keyspace),
      reverse_(range.reverse),
      lower_kind_(range.lower_kind),
      upper_kind_(range.upper_kind),
      lower_(range.lower),
      upper_(range.upper) {}

void PgIterator::fetch() {
  const std::string sql = keyspace_.sql.range(lower_kind_, upper_kind_, reverse_, page_size_);
  SplitKey lower = split_key(lower_), upper = split_key(upper_);
  std::vector<std::string_view> params;
  if (lower_kind_ != JORMUN_BOUND_NONE) params.insert(params.end(), {lower.p, lower.rest});
  if (upper_kind_ != JORMUN_BOUND_NONE) params.insert(params.end(), {upper.p, upper.rest});
  page_.reset();
  if (snapshot_ != nullptr) {
    std::lock_guard lock(snapshot_->mu);
    page_.emplace(snapshot_->conn->run(sql, params));
  } else {
    page_.emplace(with_retry(pool_, [&](Connection& c) { return c.run(sql, params); }));
  }
  row_ = 0;
  last_page_ = page_->rows() < static_cast<int>(page_size_);
  if (page_size_ < kMaxPage) page_size_ *= 4;
}

bool PgIterator::next(jormun_bytes* key, jormun_bytes* value) {
  if (!page_ || row_ >= page_->rows()) {
    if (page_ && last_page_) return false;
    fetch();
    if (page_->rows() == 0) return false;
  }
  std::string_view p = page_->bytes(row_, 0), rest = page_->bytes(row_, 1);
  std::string_view v = page_->bytes(row_, 2);
  std::string_view k = p;
  if (!rest.empty()) {
    key_.assign(p);
    key_.append(rest);
    k = key_;
  }
  // The next page starts after this key.
  if (reverse_) {
    upper_kind_ = JORMUN_BOUND_EXCLUSIVE;
    upper_.assign(k);
  } else {
    lower_kind_ = JORMUN_BOUND_EXCLUSIVE;
    lower_.assign(k);
  }
  ++row_;
  key->data = reinterpret_cast<const uint8_t*>(k.data());
  key->size = k.size();
  value->data = reinterpret_cast<const uint8_t*>(v.data());
  value->size = v.size();
  return true;
}

}  // namespace jormun::postgres
