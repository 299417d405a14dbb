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

void write_capacity_list(const std::map<std::string, TableUnits>& units,
                         model::JsonWriter& w) {
  w.Key("ConsumedCapacity");
  w.StartArray();
  for (const auto& [table, u] : units) {
    w.StartObject();
    w.Key("TableName");
    w.String(table);
    w.Key("CapacityUnits");
    w.Double(u.read + u.write);
    if (u.read > 0) {
      w.Key("ReadCapacityUnits");
      w.Double(u.read);
    }
    if (u.write > 0) {
      w.Key("WriteCapacityUnits");
      w.Double(u.write);
    }
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace jormun::ops
