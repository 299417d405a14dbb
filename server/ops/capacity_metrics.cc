#include "ops/capacity_metrics.h"

#include "common/metrics.h"

namespace jormun::ops {
namespace {

using metrics::Counter;
using metrics::Family;
using metrics::RealCounter;
using metrics::Registry;

struct CapacityMetrics {
  Family<RealCounter>& read = Registry::global().real_counter(
      "jormun_consumed_read_capacity_units_total",
      "Read capacity units consumed (CloudWatch ConsumedReadCapacityUnits), by table "
      "and index (\"\" for the table itself).",
      {"table", "index"});
  Family<RealCounter>& write = Registry::global().real_counter(
      "jormun_consumed_write_capacity_units_total",
      "Write capacity units consumed (CloudWatch ConsumedWriteCapacityUnits), by table "
      "and index (\"\" for the table itself).",
      {"table", "index"});
  Family<Counter>& returned = Registry::global().counter(
      "jormun_returned_item_count_total",
      "Items returned by reads (CloudWatch ReturnedItemCount), by operation and table.",
      {"operation", "table"});
};

CapacityMetrics& capacity_metrics() {
  static CapacityMetrics* m = new CapacityMetrics;  // threads may record late
  return *m;
}

void add(CapacityMetrics& m, std::string_view table, std::string_view index,
         const Units& u) {
  if (u.read > 0) m.read.with({table, index}).add(u.read);
  if (u.write > 0) m.write.with({table, index}).add(u.write);
}

}  // namespace

void count_capacity(std::string_view table, const TableUnits& units) noexcept try {
  CapacityMetrics& m = capacity_metrics();
  add(m, table, "", units);
  for (const auto* indexes : {&units.global_indexes, &units.local_indexes})
    for (const auto& [name, u] : *indexes) add(m, table, name, u);
} catch (...) {
  // Out of memory for a new series: the request is answered all the same.
}

void count_capacity(const std::map<std::string, TableUnits>& units) noexcept {
  for (const auto& [table, u] : units) count_capacity(table, u);
}

void report_capacity(std::string_view table, const TableUnits& units,
                     CapacityDetail detail, model::JsonWriter& out) {
  count_capacity(table, units);
  if (detail != CapacityDetail::kNone) write_capacity(table, units, detail, out);
}

void report_capacity_list(const std::map<std::string, TableUnits>& units,
                          CapacityDetail detail, UnitsShape shape, model::JsonWriter& out) {
  count_capacity(units);
  if (detail != CapacityDetail::kNone) write_capacity_list(units, detail, shape, out);
}

void count_returned_items(std::string_view operation, std::string_view table,
                          size_t items) noexcept try {
  capacity_metrics().returned.with({operation, table}).add(items);
} catch (...) {
  // As count_capacity.
}

}  // namespace jormun::ops
