// Table::collection_bytes, the size behind ItemCollectionMetrics: the items
// of one partition key value plus their local secondary index entries, in
// DynamoDB's measure; other partitions and global index entries do not count.
#include <gtest/gtest.h>

#include <string>

#include "model/item_size.h"
#include "model/key_codec.h"
#include "rocksdb_table_util.h"
#include "storage/write_set.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;
using model::Item;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

// pk (S) and sk (S), a local index on l (S) and a global one on g (S), both
// projecting every attribute.
TableSchema lsi_schema() {
  TableSchema s;
  s.name = "c";
  s.partition_key = {"pk", model::Type::S};
  s.sort_key = KeyAttribute{"sk", model::Type::S};
  IndexSchema local;
  local.name = "byl";
  local.global = false;
  local.partition_key = s.partition_key;
  local.sort_key = KeyAttribute{"l", model::Type::S};
  IndexSchema global;
  global.name = "byg";
  global.global = true;
  global.partition_key = {"g", model::Type::S};
  s.indexes = {local, global};
  s.attribute_definitions = {s.partition_key, *s.sort_key, *local.sort_key,
                             global.partition_key};
  return s;
}

void put(Table& table, const Item& item) {
  WriteSet set;
  const AttributeValue& sk = item.at("sk");
  set.stage(table, model::base_key(item.at("pk"), &sk), test::put_mutation(item));
  set.commit();
}

TEST(CollectionBytes, CountsThePartitionsItemsAndTheirLocalIndexEntries) {
  auto dir = test::fresh_test_dir("collection");
  auto table = test::open_rocksdb_table(lsi_schema(), dir / "c");
  const Item indexed{{"pk", S("p")}, {"sk", S("1")}, {"l", S("x")}, {"g", S("y")}};
  const Item unindexed{{"pk", S("p")}, {"sk", S("2")}};
  const Item elsewhere{{"pk", S("q")}, {"sk", S("1")}, {"l", S("x")}};
  for (const Item& item : {indexed, unindexed, elsewhere}) put(*table, item);
  // The local index projects every attribute: `indexed` counts twice.
  EXPECT_EQ(table->collection_bytes(S("p")),
            2 * model::item_size(indexed) + model::item_size(unindexed));
  EXPECT_EQ(table->collection_bytes(S("q")), 2 * model::item_size(elsewhere));
  EXPECT_EQ(table->collection_bytes(S("none")), 0u);
  table.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jormun::storage
