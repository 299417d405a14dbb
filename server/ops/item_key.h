// From request attributes to the engine key of an item, with DynamoDB's
// validation of key attributes (names, types, empty values, size limits).
#pragma once

#include <string>

#include "model/attribute_value.h"
#include "storage/table_schema.h"

namespace jormun::ops {

// Refuses an empty S or B key value ("... cannot contain an empty string
// value. Key: <name>") and one over the size limit of a partition key or a
// sort key.
void check_key_value(const storage::KeyAttribute& attr, const model::AttributeValue& v,
                     bool partition);

// The engine key for a `Key` parameter (GetItem, DeleteItem, ...): exactly
// the table's key attributes, of the declared types.
std::string key_from_key_param(const storage::TableSchema& schema,
                               const model::Item& key);

// The engine key for a whole item (PutItem): the item must hold the key
// attributes with the declared types.
std::string key_from_item(const storage::TableSchema& schema, const model::Item& item);

// Refuses an item whose secondary-index key attribute has another type than
// the index declares, is an empty S or B, or is longer than a key value may
// be (model::kMaxPartitionKeyBytes, kMaxSortKeyBytes); an absent one just
// keeps the item out of the index.
void check_index_key_types(const storage::TableSchema& schema, const model::Item& item);

// Copies the key attributes of `item`.
model::Item key_of(const storage::TableSchema& schema, const model::Item& item);

}  // namespace jormun::ops
