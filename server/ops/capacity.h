// ConsumedCapacity as DynamoDB reports it when ReturnConsumedCapacity asks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_json.h"
#include "ops/params.h"

namespace jormun::ops {

enum class CapacityDetail { kNone, kTotal, kIndexes };
// Reads ReturnConsumedCapacity (NONE, TOTAL, INDEXES).
CapacityDetail capacity_detail(Params& p);

// Capacity units DynamoDB charges: a read is one unit per 4 KB (half for an
// eventually consistent read), a write one unit per 1 KB, at least one.
double read_units(size_t item_bytes, bool consistent);
double write_units(size_t item_bytes);

// An operation's units on one table or index.
struct Units {
  double read = 0;
  double write = 0;
};
// On one table: its own part and each index charged (an index absent from
// the maps was not charged and is not shown).
struct TableUnits : Units {
  std::map<std::string, Units> global_indexes, local_indexes;
};

// How an entry shows its units: single-item operations, Query, Scan and the
// batch operations give CapacityUnits alone; transactions add the
// ReadCapacityUnits and WriteCapacityUnits they used.
enum class UnitsShape { kTotalOnly, kSplit };

// Writes "ConsumedCapacity":{..} for one table (single-item operations,
// Query, Scan): TableName and CapacityUnits, the table's and indexes' units
// summed; with kIndexes also the table's own part ("Table") and each index's.
void write_capacity(std::string_view table, const TableUnits& units,
                    CapacityDetail detail, model::JsonWriter& w);

// Writes "ConsumedCapacity":[..], an entry per table (in name order) as
// write_capacity's, in `shape`.
void write_capacity_list(const std::map<std::string, TableUnits>& units,
                         CapacityDetail detail, UnitsShape shape, model::JsonWriter& w);

}  // namespace jormun::ops
