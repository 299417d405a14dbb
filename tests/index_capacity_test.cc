// The write units a write costs each index: the rules and figures of
// docs/capacity.md (DynamoDB's, as measured by a third party).
#include "ops/index_capacity.h"

#include <gtest/gtest.h>

#include "model/item_size.h"

namespace jormun::ops {
namespace {

using model::AttributeValue;
using model::Item;
using storage::IndexSchema;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

// pk/sk; "gsi" on g projecting INCLUDE [proj]; "lsi" on pk/l projecting ALL.
storage::TableSchema schema() {
  storage::TableSchema t;
  t.name = "t";
  t.partition_key = {"pk", model::Type::S};
  t.sort_key = storage::KeyAttribute{"sk", model::Type::S};
  IndexSchema g;
  g.name = "gsi";
  g.global = true;
  g.partition_key = {"g", model::Type::S};
  g.projection = IndexSchema::Projection::kInclude;
  g.non_key_attributes = {"proj"};
  IndexSchema l;
  l.name = "lsi";
  l.partition_key = {"pk", model::Type::S};
  l.sort_key = storage::KeyAttribute{"l", model::Type::S};
  t.indexes = {g, l};
  return t;
}

Item item(std::initializer_list<std::pair<const char*, std::string>> attrs) {
  Item i{{"pk", S("p")}, {"sk", S("1")}};
  for (const auto& [name, value] : attrs) i[name] = S(value);
  return i;
}

TableUnits units(const Item* old, const Item* now) {
  TableUnits u;
  add_index_writes(schema(), old, now, u);
  return u;
}

double gsi(const TableUnits& u) {
  auto it = u.global_indexes.find("gsi");
  return it == u.global_indexes.end() ? -1 : it->second.write;
}

TEST(IndexCapacityTest, JoiningAndLeavingCostTheEntry) {
  Item small = item({{"g", "g"}, {"proj", "p"}});
  EXPECT_EQ(gsi(units(nullptr, &small)), 1);
  Item big = item({{"g", "g"}, {"proj", std::string(3000, 'x')}});
  EXPECT_EQ(gsi(units(&big, nullptr)), 3);
  Item left = item({{"proj", std::string(3000, 'x')}});
  EXPECT_EQ(gsi(units(&big, &left)), 3);
}

TEST(IndexCapacityTest, UnchangedEntriesAreNotCharged) {
  Item a = item({{"g", "g"}, {"other", "o"}});
  Item b = item({{"g", "g"}, {"other", "o2"}});
  TableUnits u = units(&a, &b);
  // Not projected into the GSI: no entry; the item is in no LSI.
  EXPECT_TRUE(u.global_indexes.empty());
  EXPECT_TRUE(u.local_indexes.empty());
  EXPECT_TRUE(units(&a, &a).global_indexes.empty());
}

TEST(IndexCapacityTest, ChangedEntryCostsTheLargerImage) {
  Item big = item({{"g", "g"}, {"proj", std::string(2000, 'x')}});
  Item small = item({{"g", "g"}, {"proj", std::string(100, 'x')}});
  EXPECT_EQ(gsi(units(&big, &small)), 2);
  EXPECT_EQ(gsi(units(&small, &big)), 2);
}

TEST(IndexCapacityTest, MovedKeyCostsBothEntriesEachRounded) {
  Item from = item({{"g", "A"}, {"proj", std::string(1500, 'x')}});
  Item to = item({{"g", "B"}, {"proj", std::string(1500, 'x')}});
  EXPECT_EQ(gsi(units(&from, &to)), 4);
}

TEST(IndexCapacityTest, LocalIndexesAndTransactionsFactor) {
  Item now = item({{"l", "L"}, {"other", std::string(1500, 'x')}});
  TableUnits u;
  add_index_writes(schema(), nullptr, &now, u, 2);
  ASSERT_EQ(u.local_indexes.count("lsi"), 1u);
  EXPECT_EQ(u.local_indexes["lsi"].write, 4);  // ALL: 2 KB, doubled
}

TEST(IndexCapacityTest, ItemWriteChargesTheLargerItemToTheTable) {
  storage::Staged done;
  done.old_item = item({{"v", std::string(3000, 'x')}});
  done.old_size = model::item_size(*done.old_item);  // as the write set fills it
  done.new_item = item({});
  TableUnits u = item_write_units(schema(), done);
  EXPECT_EQ(u.write, 3);
  EXPECT_TRUE(u.global_indexes.empty() && u.local_indexes.empty());
}

TEST(IndexCapacityTest, DeletingIndexesAreNotCharged) {
  storage::TableSchema s = schema();
  s.indexes[0].state = IndexSchema::State::kDeleting;
  Item now = item({{"g", "g"}});
  TableUnits u;
  add_index_writes(s, nullptr, &now, u);
  EXPECT_TRUE(u.global_indexes.empty());
}

}  // namespace
}  // namespace jormun::ops
