// The consumed capacity and returned items of `GET /metrics`, per table,
// named after CloudWatch's ConsumedReadCapacityUnits,
// ConsumedWriteCapacityUnits and ReturnedItemCount (README "Metrics").
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "ops/capacity.h"

namespace jormun::ops {

// Counts the units an operation consumed on `table` (the table's own part
// under index="", each index's under its name), whether or not the client
// asked for ReturnConsumedCapacity.
void count_capacity(std::string_view table, const TableUnits& units) noexcept;
// The same for each table of a multi-table operation.
void count_capacity(const std::map<std::string, TableUnits>& units) noexcept;

// Counts `units` (count_capacity) and, when `detail` asks, writes them as
// write_capacity does.
void report_capacity(std::string_view table, const TableUnits& units,
                     CapacityDetail detail, model::JsonWriter& out);
// Counts each table's units and, when `detail` asks, writes them as
// write_capacity_list does.
void report_capacity_list(const std::map<std::string, TableUnits>& units,
                          CapacityDetail detail, UnitsShape shape, model::JsonWriter& out);

// Counts the items `operation` returned from `table`.
void count_returned_items(std::string_view operation, std::string_view table,
                          size_t items) noexcept;

}  // namespace jormun::ops
