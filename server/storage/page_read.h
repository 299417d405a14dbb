// What one page of a Query or Scan reads (Table::read_page): the keyspace,
// the bounds, the direction and DynamoDB's two page limits.
//
// Every page is a fresh iterator that starts after the last key of the page
// before, so an item that exists for the whole of a paged read is returned
// exactly once whatever is written meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "storage/key_range.h"
#include "storage/table_schema.h"

namespace jormun::storage {

// DynamoDB's page size limit for Query and Scan.
inline constexpr size_t kMaxPageBytes = 1024 * 1024;

struct PageSpec {
  // The index whose entries are read; null reads the table's items.
  const IndexSchema* index = nullptr;
  // Query: the partition and sort key condition. Scan: none.
  std::optional<KeyRange> key;
  // Scan: segment `segment` of `total_segments` (the partition-hash range).
  std::optional<uint64_t> segment;
  uint64_t total_segments = 1;
  // The engine key of ExclusiveStartKey: the page starts after it, without
  // ever widening what the key range or segment allows.
  std::optional<std::string> start_after;
  bool reverse = false;         // ScanIndexForward=false
  std::optional<size_t> limit;  // Limit: items read, before any filter
};

// What a page read besides what the visitor saw.
struct PageRead {
  size_t scanned = 0;  // items read
  size_t bytes = 0;    // sum of the sizes the visitor returned
  // The stored form of the item the page stopped at (Limit or 1 MB), whose
  // key is LastEvaluatedKey; none when the range was read to its end.
  std::optional<std::string> last;
};

}  // namespace jormun::storage
