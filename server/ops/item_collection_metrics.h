// ItemCollectionMetrics, as DynamoDB answers a write when
// ReturnItemCollectionMetrics is SIZE: for each item collection (the items
// of one partition key value) a write changed on a table with local
// secondary indexes, the partition key value and an estimate of the
// collection's size. Tables without local secondary indexes get none.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/attribute_json.h"
#include "ops/params.h"
#include "storage/table.h"

namespace jormun::ops {

// Reads ReturnItemCollectionMetrics (SIZE or NONE): whether SIZE was asked.
bool wants_collection_metrics(Params& p);

// Whether writes to `table` have item collection metrics: it has a local
// secondary index.
bool has_item_collections(const storage::TableSchema& table);

// Writes "ItemCollectionMetrics":{...} for the collection of `item`'s (an
// item or a key) partition key, when `table` has local secondary indexes.
void write_collection_metrics(storage::Table& table, const model::Item& item,
                              model::JsonWriter& w);

// The collections a batch or transaction wrote, by table name, each once.
class CollectionsWritten {
 public:
  // Notes the collection of `item`'s partition key, if `table` has local
  // secondary indexes.
  void add(const std::shared_ptr<storage::Table>& table, const model::Item& item);
  // Writes "ItemCollectionMetrics":{"<table>":[{...}, ...], ...}; nothing
  // when no table with local secondary indexes was written.
  void write(model::JsonWriter& w) const;

 private:
  struct Written {
    std::shared_ptr<storage::Table> table;
    std::vector<model::AttributeValue> partitions;
  };
  std::map<std::string, Written> by_table_;
};

}  // namespace jormun::ops
