// iterator.h -- range walks as keyset-paged queries.
//
// Each page is one query, `WHERE (p, rest) > (last key) ... ORDER BY p, rest
// LIMIT n` (reverse: < and DESC), so no cursor or transaction stays open
// between calls and a walk never holds a connection while the host works
// on what it returned. Without a snapshot each page reads the latest
// committed state: a key present throughout is returned once, in order;
// keys never move, which is all engine.h asks of such a walk. With one,
// every page reads on the snapshot's transaction, so the walk sees exactly
// the pinned state.
//
// Pages grow from 16 rows to 256: a Query with a small Limit reads little,
// a Scan makes few round trips.
#ifndef JORMUN_POSTGRES_ITERATOR_H
#define JORMUN_POSTGRES_ITERATOR_H

#include <jormun/plugin.hpp>
#include <optional>
#include <string>

#include "connection.h"
#include "handles.h"
#include "pool.h"

namespace jormun::postgres {

class PgIterator : public plugin::Iterator {
 public:
  // `keyspace`, `snapshot` and `pool` must outlive the iterator (the host
  // destroys iterators before what they read).
  PgIterator(Pool& pool, PgSnapshot* snapshot, const PgKeyspace& keyspace,
             const plugin::Range& range);
  bool next(jormun_bytes* key, jormun_bytes* value) override;

 private:
  void fetch();

  Pool& pool_;
  PgSnapshot* snapshot_;
  const PgKeyspace& keyspace_;
  const bool reverse_;
  // The walk's remaining range; the side it walks from moves to the last
  // key returned (exclusive) after each page.
  uint32_t lower_kind_, upper_kind_;
  std::string lower_, upper_;
  uint32_t page_size_ = 16;
  std::optional<Result> page_;
  int row_ = 0;
  bool last_page_ = false;
  std::string key_;  // the current key when it is split (longer than kPrefix)
};

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_ITERATOR_H
