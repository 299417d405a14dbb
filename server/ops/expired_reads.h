// ttl.hide_expired: reads that leave out items whose TTL has passed but
// that the sweeper has not deleted yet (DynamoDB returns them; this is a
// server setting, off by default). One predicate every read path asks.
#pragma once

#include <functional>

#include "config/ttl_config.h"
#include "model/attribute_value.h"
#include "storage/table.h"

namespace jormun::ops {

// Whether reads of `table` leave `item` out: hide_expired is on, the table
// has TTL enabled and the item's TTL attribute is a Number of epoch seconds
// before now (the server clock).
bool hidden_as_expired(const config::TtlConfig& config, const storage::TableSchema& table,
                       const model::Item& item);

// Whether reads of `table` can leave anything out (so a reader that skips
// decoding items must decode them).
bool hides_expired(const config::TtlConfig& config, const storage::TableSchema& table);

// The test of Query and Scan, which may read an index: an entry that lacks
// the TTL attribute (the index does not project it) is judged by its base
// item, read from `table`. Empty when hides_expired is false.
std::function<bool(const model::Item&)> expired_filter(const config::TtlConfig& config,
                                                       storage::Table& table,
                                                       bool reads_index);

}  // namespace jormun::ops
