#include "ops/capacity.h"

#include <cmath>

namespace jormun::ops {

bool wants_capacity(Params& p) {
  auto v = p.string("ReturnConsumedCapacity");
  p.one_of(v, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
  return v && *v != "NONE";
}

double read_units(size_t item_bytes, bool consistent) {
  double units = std::max<double>(1, std::ceil(item_bytes / 4096.0));
  return consistent ? units : units / 2;
}

double write_units(size_t item_bytes) {
  return std::max<double>(1, std::ceil(item_bytes / 1024.0));
}

void write_capacity(std::string_view table, double units, model::JsonWriter& w) {
  w.Key("ConsumedCapacity");
  w.StartObject();
  w.Key("TableName");
  w.String(table.data(), table.size());
  w.Key("CapacityUnits");
  w.Double(units);
  w.EndObject();
}

}  // namespace jormun::ops
