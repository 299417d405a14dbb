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
// Whether ReturnConsumedCapacity asks for any.
bool wants_capacity(Params& p);

// Capacity units DynamoDB charges: a read is one unit per 4 KB (half for an
// eventually consistent read), a write one unit per 1 KB, at least one.
double read_units(size_t item_bytes, bool consistent);
double write_units(size_t item_bytes);

// Writes "ConsumedCapacity":{"TableName":..,"CapacityUnits":..}.
void write_capacity(std::string_view table, double units, model::JsonWriter& w);

// A transaction's units on one table or index.
struct Units {
  double read = 0;
  double write = 0;
};
struct TableUnits : Units {
  std::map<std::string, Units> global_indexes, local_indexes;
};
// Writes "ConsumedCapacity":[..], an entry per table (in name order) with
// CapacityUnits and the ReadCapacityUnits and WriteCapacityUnits it used;
// with kIndexes also the table's own part ("Table") and each index's.
void write_capacity_list(const std::map<std::string, TableUnits>& units,
                         CapacityDetail detail, model::JsonWriter& w);

}  // namespace jormun::ops
