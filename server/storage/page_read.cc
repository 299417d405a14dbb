// Table::read_page, the paging loop Query and Scan share, and
// Table::collection_bytes.
#include "storage/page_read.h"

#include <utility>
#include <vector>

#include "common/api_error.h"
#include "model/item_size.h"
#include "storage/table.h"

namespace jormun::storage {

PageRead Table::read_page(const PageSpec& spec, const ItemVisitor& visit) {
  Lease use(*this);
  host::Keyspace keyspace = items_;
  if (spec.index) {
    std::shared_lock gate(write_gate_);
    auto it = index_keyspaces_.find(spec.index->name);
    // Deleted since the caller found it: as if it were already gone.
    if (it == index_keyspaces_.end())
      throw ApiError::validation("The table does not have the specified index: " +
                                 spec.index->name);
    keyspace = it->second;
  }
  host::RangeSpec range;
  if (spec.key)
    range = query_range(*spec.key, spec.index != nullptr);
  else if (spec.segment)
    range = segment_range(*spec.segment, spec.total_segments);
  range.reverse = spec.reverse;
  if (spec.start_after) start_after(range, *spec.start_after);

  PageRead page;
  host::Iterator it = engine_->iterate(keyspace, range);
  std::string_view k, v;
  while (it.next(&k, &v)) {
    ++page.scanned;
    page.bytes += visit(v);
    // DynamoDB stops at Limit or once a page has read 1 MB, and does not
    // look ahead: a page that ends exactly at the last item still names it.
    if ((spec.limit && page.scanned >= *spec.limit) || page.bytes >= kMaxPageBytes) {
      page.last.emplace(v);
      break;
    }
  }
  return page;
}

uint64_t Table::collection_bytes(const model::AttributeValue& partition_value) {
  Lease use(*this);
  std::vector<std::pair<host::Keyspace, bool>> keyspaces{{items_, false}};
  {
    std::shared_lock gate(write_gate_);
    for (const auto& index : schema().indexes)
      if (auto it = index_keyspaces_.find(index.name);
          !index.global && it != index_keyspaces_.end())
        keyspaces.emplace_back(it->second, true);
  }
  uint64_t bytes = 0;
  for (const auto& [keyspace, is_index] : keyspaces) {
    host::Iterator it =
        engine_->iterate(keyspace, query_range(partition_value, std::nullopt, is_index));
    std::string_view k, v;
    while (it.next(&k, &v)) bytes += model::stored_item_size(v);
  }
  return bytes;
}

}  // namespace jormun::storage
