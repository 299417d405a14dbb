#include "ops/item_collection_metrics.h"

#include <algorithm>
#include <cmath>

namespace jormun::ops {
namespace {

const model::AttributeValue* partition_value(const storage::TableSchema& table,
                                             const model::Item& item) {
  auto it = item.find(table.partition_key.name);
  return it == item.end() ? nullptr : &it->second;
}

// {"ItemCollectionKey":{...},"SizeEstimateRangeGB":[lo,hi]}. DynamoDB's
// estimate is not documented beyond "a lower bound and an upper bound"; a
// small collection shows [0.0, 1.0] in its documentation, so the bounds here
// are the whole gigabytes around the collection's measured size.
void write_one(storage::Table& table, const model::AttributeValue& partition,
               model::JsonWriter& w) {
  const double gb = static_cast<double>(table.collection_bytes(partition)) /
                    static_cast<double>(1ull << 30);
  const double low = std::floor(gb);
  w.StartObject();
  w.Key("ItemCollectionKey");
  model::write_item({{table.schema().partition_key.name, partition}}, w);
  w.Key("SizeEstimateRangeGB");
  w.StartArray();
  w.Double(low);
  w.Double(low + 1);
  w.EndArray();
  w.EndObject();
}

}  // namespace

bool wants_collection_metrics(Params& p) {
  auto metrics = p.string("ReturnItemCollectionMetrics");
  p.one_of(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  return metrics && *metrics == "SIZE";
}

bool has_item_collections(const storage::TableSchema& table) {
  return std::any_of(table.indexes.begin(), table.indexes.end(),
                     [](const storage::IndexSchema& i) { return !i.global; });
}

void write_collection_metrics(storage::Table& table, const model::Item& item,
                              model::JsonWriter& w) {
  const model::AttributeValue* partition = partition_value(table.schema(), item);
  if (!partition || !has_item_collections(table.schema())) return;
  w.Key("ItemCollectionMetrics");
  write_one(table, *partition, w);
}

void CollectionsWritten::add(const std::shared_ptr<storage::Table>& table,
                             const model::Item& item) {
  const model::AttributeValue* partition = partition_value(table->schema(), item);
  if (!partition || !has_item_collections(table->schema())) return;
  Written& written = by_table_[table->schema().name];
  written.table = table;
  auto& seen = written.partitions;
  if (std::find(seen.begin(), seen.end(), *partition) == seen.end())
    seen.push_back(*partition);
}

void CollectionsWritten::write(model::JsonWriter& w) const {
  if (by_table_.empty()) return;
  w.Key("ItemCollectionMetrics");
  w.StartObject();
  for (const auto& [name, written] : by_table_) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.StartArray();
    for (const auto& partition : written.partitions)
      write_one(*written.table, partition, w);
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace jormun::ops
