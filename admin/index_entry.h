// What a secondary index holds for an item, by DynamoDB's rules: nothing
// when the item lacks the index's key attributes or holds one of another
// type than declared, an empty string or binary, or one over the key size
// limits (2048 bytes for a partition key, 1024 for a sort key); otherwise
// the item's projection. jormun-admin verify compares it with what the
// index returns.
#pragma once

#include <optional>

#include <rapidjson/document.h>

#include "admin/table_info.h"

namespace jormun::admin {

// The entry `index` should hold for `item` (a DynamoDB JSON object), built
// with `allocator`, or std::nullopt when the item is not in the index.
std::optional<rapidjson::Value> expected_entry(const rapidjson::Value& item,
                                               const TableInfo& table, const IndexInfo& index,
                                               rapidjson::Document::AllocatorType& allocator);

}  // namespace jormun::admin
