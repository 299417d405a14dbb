// What an item contributes to a secondary index: at most one entry, whose
// key is model::index_key(ipk, isk, pk, sk) and whose value is the projected
// item in model::encode_item form.
#pragma once

#include <optional>
#include <string>

#include "model/attribute_value.h"
#include "storage/table_schema.h"

namespace jormun::storage {

struct IndexEntry {
  std::string key;
  std::string value;
};

// The entry of `item` in `index`, or nullopt when the item lacks the index's
// partition key or sort key, or has one of another type than the index
// declares, an empty S or B one, or one over DynamoDB's size limit of its
// key role (indexes are sparse, as in DynamoDB).
std::optional<IndexEntry> index_entry(const TableSchema& table, const IndexSchema& index,
                                      const model::Item& item);

// Whether `index` projects the top-level attribute `name`: every attribute
// for ALL; the table's and the index's key attributes, plus NonKeyAttributes
// for INCLUDE.
bool index_projects(const TableSchema& table, const IndexSchema& index,
                    const std::string& name);

// The attributes of `item` that `index` projects.
model::Item project_for_index(const TableSchema& table, const IndexSchema& index,
                              const model::Item& item);

}  // namespace jormun::storage
