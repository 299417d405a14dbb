// The contents of every item the benchmark writes, as a function of its index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::bench {

// Two table shapes. kv: partition key `pk` (S) only, item i has pk
// "user<i>". ranged: `pk` (S) + sort key `sk` (N) with kItemsPerPartition
// items per partition, item i has pk "part<i / 10>" and sk i % 10.
enum class TableShape { kv, ranged };
inline constexpr uint64_t kItemsPerPartition = 10;

// Because an item's attributes follow from its index and the run's seed,
// any answer can be checked later (even by another process run with the same
// seed and item size) without remembering what was written.
class ItemSet {
 public:
  // `item_size`: the target size of an item in bytes (names and values, as
  // DynamoDB counts it); the payload attribute `v` takes what the key leaves.
  ItemSet(size_t item_size, uint64_t seed);

  // The partition key value of item `index` in a table of `shape`.
  static std::string partition_key(TableShape shape, uint64_t index);
  // Written into every item as the Number attribute `expires` when set
  // (--expires-at): epoch seconds, for a table whose TTL attribute it is.
  std::optional<uint64_t> expires_at;

  // The inverse of partition_key for a kv table; nullopt if `pk` isn't one.
  static std::optional<uint64_t> kv_index(std::string_view pk);

  // Appends the payload of item `index` to `out`.
  void append_payload(uint64_t index, std::string& out) const;
  bool payload_matches(uint64_t index, std::string_view v) const;

 private:
  size_t payload_size_;
  // Random letters shared by all payloads; each payload is its index, a
  // colon, then a prefix of this, so no two items carry the same value.
  std::string filler_;
};

}  // namespace jormun::bench
