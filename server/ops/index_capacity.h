// The write units a table's secondary indexes consume for one item's write.
#pragma once

#include "model/attribute_value.h"
#include "ops/capacity.h"
#include "storage/table_schema.h"
#include "storage/write_set.h"

namespace jormun::ops {

// Adds to `units` what the write of `now` over `old` (either null: the item
// absent before, or deleted) costs each index of `schema`, `factor` times
// (2 in a transaction). DynamoDB charges an index for the change to what it
// stores, sized on the projected entry: joining or leaving the index costs
// that entry's write units, a changed entry under the same key the larger
// image's, a moved index key both (a delete and an insert, each rounded), an
// unchanged entry nothing, and then the index is not added to the map.
void add_index_writes(const storage::TableSchema& schema, const model::Item* old,
                      const model::Item* now, TableUnits& units, double factor = 1);

// Adds a single item's write (`done`, its old item read) to `units`: the
// table's part (the larger of the old and new item, one unit at least) and
// its indexes' (add_index_writes).
void add_item_write(const storage::TableSchema& schema, const storage::Staged& done,
                    TableUnits& units);
// The units of a single item's write alone (PutItem, UpdateItem, DeleteItem).
TableUnits item_write_units(const storage::TableSchema& schema,
                            const storage::Staged& done);

}  // namespace jormun::ops
