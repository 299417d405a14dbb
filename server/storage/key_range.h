// Engine key ranges for Query's key condition and Scan's segments.
//
// Base keys end with the plain order-preserving sort key; index keys carry
// the index sort key in its self-delimiting form followed by the base key,
// so each condition maps to bounds differently for the two (see
// docs/architecture.md, "Key format").
#pragma once

#include <cstdint>
#include <jormun/engine.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/attribute_value.h"

namespace jormun::storage {

// Query's condition on the sort key, as the key layout needs it: built in
// ops/ from the key condition expression (or legacy KeyConditions).
struct SortKeyRange {
  enum class Op : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };
  Op op = Op::kEq;
  // One value; two for kBetween (low, high).
  std::vector<model::AttributeValue> values;
};

// The keys a Query reads: one partition, optionally narrowed on the sort key.
struct KeyRange {
  model::AttributeValue partition_value;
  std::optional<SortKeyRange> sort;
  // A multi-attribute index key: the values of its HASH attributes after
  // the first, and of its leading RANGE attributes that the condition pins
  // with = (`sort` then narrows the next one).
  std::vector<model::AttributeValue> more_partition_values;
  std::vector<model::AttributeValue> sort_prefix;
};

// The smallest byte string greater than every string starting with `prefix`;
// nullopt when there is none (all bytes 0xFF).
std::optional<std::string> prefix_successor(std::string prefix);

// Bounds of the keys in partition `partition_value` matching `sort` (all of
// the partition when absent). `sort_key_delimited`: the sort key is followed
// by more key parts (index keys).
host::RangeSpec query_range(const model::AttributeValue& partition_value,
                            const std::optional<SortKeyRange>& sort,
                            bool sort_key_delimited);
// The same for any key, also a multi-attribute one (whose sort key tuple is
// always delimited).
host::RangeSpec query_range(const KeyRange& key, bool sort_key_delimited);

// hash | the partition key tuple of `key`: the prefix of its partition.
std::string partition_prefix(const KeyRange& key);

// Whether `key` lies within the bounds of `range`.
bool contains(const host::RangeSpec& range, std::string_view key);

// Starts `range` after `key` in its direction of travel (ExclusiveStartKey),
// keeping the bound already there when it is the narrower one, so a start key
// never widens what a condition or segment allows.
void start_after(host::RangeSpec& range, const std::string& key);

// Segment `segment` of `total`: the partition-hash range
// [segment * 2^64 / total, (segment + 1) * 2^64 / total).
host::RangeSpec segment_range(uint64_t segment, uint64_t total);

}  // namespace jormun::storage
