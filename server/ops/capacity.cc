#include "ops/capacity.h"

#include <cmath>

namespace jormun::ops {

CapacityDetail capacity_detail(Params& p) {
  auto v = p.string("ReturnConsumedCapacity");
  p.one_of(v, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
  if (!v || *v == "NONE") return CapacityDetail::kNone;
  return *v == "TOTAL" ? CapacityDetail::kTotal : CapacityDetail::kIndexes;
}

double read_units(size_t item_bytes, bool consistent) {
  double units = std::max<double>(1, std::ceil(item_bytes / 4096.0));
  return consistent ? units : units / 2;
}

double write_units(size_t item_bytes) {
  return std::max<double>(1, std::ceil(item_bytes / 1024.0));
}

namespace {

// CapacityUnits, then (kSplit) ReadCapacityUnits and WriteCapacityUnits when
// used.
void write_units(const Units& u, UnitsShape shape, model::JsonWriter& w) {
  w.Key("CapacityUnits");
  w.Double(u.read + u.write);
  if (shape == UnitsShape::kTotalOnly) return;
  if (u.read > 0) {
    w.Key("ReadCapacityUnits");
    w.Double(u.read);
  }
  if (u.write > 0) {
    w.Key("WriteCapacityUnits");
    w.Double(u.write);
  }
}

void write_index_units(const char* member, const std::map<std::string, Units>& indexes,
                       UnitsShape shape, model::JsonWriter& w) {
  if (indexes.empty()) return;
  w.Key(member);
  w.StartObject();
  for (const auto& [name, u] : indexes) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.StartObject();
    write_units(u, shape, w);
    w.EndObject();
  }
  w.EndObject();
}

// The members of one table's entry, inside its object.
void write_entry(std::string_view table, const TableUnits& u, CapacityDetail detail,
                 UnitsShape shape, model::JsonWriter& w) {
  Units total = u;
  for (const auto* indexes : {&u.global_indexes, &u.local_indexes})
    for (const auto& [name, i] : *indexes) {
      total.read += i.read;
      total.write += i.write;
    }
  w.Key("TableName");
  w.String(table.data(), static_cast<rapidjson::SizeType>(table.size()));
  write_units(total, shape, w);
  if (detail != CapacityDetail::kIndexes) return;
  w.Key("Table");
  w.StartObject();
  write_units(u, shape, w);
  w.EndObject();
  write_index_units("LocalSecondaryIndexes", u.local_indexes, shape, w);
  write_index_units("GlobalSecondaryIndexes", u.global_indexes, shape, w);
}

}  // namespace

void write_capacity(std::string_view table, const TableUnits& units,
                    CapacityDetail detail, model::JsonWriter& w) {
  w.Key("ConsumedCapacity");
  w.StartObject();
  write_entry(table, units, detail, UnitsShape::kTotalOnly, w);
  w.EndObject();
}

void write_capacity_list(const std::map<std::string, TableUnits>& units,
                         CapacityDetail detail, UnitsShape shape, model::JsonWriter& w) {
  w.Key("ConsumedCapacity");
  w.StartArray();
  for (const auto& [table, u] : units) {
    w.StartObject();
    write_entry(table, u, detail, shape, w);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace jormun::ops
