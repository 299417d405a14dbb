// What Query and Scan do with each item of a page Table::read_page reads:
// filter, project, count, write it to the answer, and say where the next
// page starts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "expr/ast.h"
#include "model/attribute_json.h"
#include "storage/table.h"

namespace jormun::ops {

struct PageRequest {
  storage::PageSpec read;  // keyspace, bounds, direction, Limit
  const expr::Condition* filter = nullptr;
  const expr::Projection* projection = nullptr;
  bool count_only = false;  // Select=COUNT
  // The attributes that make up LastEvaluatedKey (base key, plus index key).
  std::vector<std::string> key_attributes;
  // Turns what the keyspace holds into the item to filter and return (an
  // index entry into its base item); identity when empty.
  std::function<model::Item(model::Item)> expand;
  // With expand and no projection: return what the keyspace holds, the
  // expanded item having served only the filter.
  bool return_entry = false;
  // Items left out as if absent but counted as scanned, like a filter's
  // (ttl.hide_expired, ops/expired_reads.h); none when empty.
  std::function<bool(const model::Item&)> hide;
};

// What a page read found besides its items, which go straight to the answer.
struct Page {
  size_t count = 0;    // items that passed the filter
  size_t scanned = 0;  // items read
  size_t bytes = 0;    // DynamoDB size of the items read
  std::optional<model::Item> last_evaluated_key;
};

// Reads a page of `table` and writes its items, as JSON values, to `items`
// as they are read (unless count_only): inside an array the caller has
// started. Items that nothing needs to look into (no filter, projection or
// expansion) go from their stored form to JSON without a tree.
Page read_page(storage::Table& table, const PageRequest& request,
               model::JsonWriter& items);

// The "Count", "ScannedCount" and "LastEvaluatedKey" members.
void write_page_totals(const Page& page, model::JsonWriter& out);

}  // namespace jormun::ops
