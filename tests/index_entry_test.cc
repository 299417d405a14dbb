#include "storage/index_entry.h"

#include <gtest/gtest.h>

#include "model/item_codec.h"
#include "model/key_codec.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;
using model::Item;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }
AttributeValue N(std::string_view s) { return AttributeValue(model::Decimal::parse(s)); }

TableSchema table() {
  TableSchema t;
  t.name = "t";
  t.partition_key = {"pk", model::Type::S};
  t.sort_key = KeyAttribute{"sk", model::Type::N};
  return t;
}

IndexSchema index(IndexSchema::Projection projection) {
  IndexSchema i;
  i.name = "byg";
  i.global = true;
  i.partition_key = {"g", model::Type::S};
  i.sort_key = KeyAttribute{"h", model::Type::N};
  i.projection = projection;
  return i;
}

Item full_item() {
  return {{"pk", S("p")}, {"sk", N("1")},    {"g", S("x")},
          {"h", N("7")},  {"a", S("alpha")}, {"b", S("beta")}};
}

TEST(IndexEntryTest, KeyIsIndexKeyThenBaseKey) {
  Item item = full_item();
  auto e = index_entry(table(), index(IndexSchema::Projection::kAll), item);
  ASSERT_TRUE(e);
  AttributeValue g = S("x"), h = N("7"), pk = S("p"), sk = N("1");
  EXPECT_EQ(e->key, model::index_key(g, &h, pk, &sk));
  EXPECT_EQ(model::decode_item(e->value), item);
}

// A multi-attribute key: (g, a) HASH, (h, b) RANGE. Each attribute is a
// key attribute of the index, and an item missing any one has no entry.
TEST(IndexEntryTest, MultiAttributeKeys) {
  IndexSchema i = index(IndexSchema::Projection::kKeysOnly);
  i.more_partition_keys = {{"a", model::Type::S}};
  i.more_sort_keys = {{"b", model::Type::S}};
  Item item = full_item();
  auto e = index_entry(table(), i, item);
  ASSERT_TRUE(e);
  AttributeValue g = S("x"), a = S("alpha"), h = N("7"), b = S("beta"), pk = S("p"),
                 sk = N("1");
  const AttributeValue* ipk[] = {&g, &a};
  const AttributeValue* isk[] = {&h, &b};
  EXPECT_EQ(e->key,
            model::index_key(model::KeyTuple(ipk), model::KeyTuple(isk), pk, &sk));
  EXPECT_EQ(model::decode_item(e->value), item);  // every attribute is a key
  for (const char* name : {"g", "a", "h", "b"}) {
    Item missing = full_item();
    missing.erase(name);
    EXPECT_FALSE(index_entry(table(), i, missing)) << name;
  }
  Item empty = full_item();
  empty["b"] = S("");
  EXPECT_FALSE(index_entry(table(), i, empty));
}

TEST(IndexEntryTest, SparseWhenKeyMissingOrMistyped) {
  auto i = index(IndexSchema::Projection::kAll);
  Item no_pk = full_item();
  no_pk.erase("g");
  EXPECT_FALSE(index_entry(table(), i, no_pk));
  Item no_sk = full_item();
  no_sk.erase("h");
  EXPECT_FALSE(index_entry(table(), i, no_sk));
  Item wrong_type = full_item();
  wrong_type["g"] = N("3");
  EXPECT_FALSE(index_entry(table(), i, wrong_type));
  // Without an index sort key, the sort attribute does not matter.
  i.sort_key.reset();
  EXPECT_TRUE(index_entry(table(), i, no_sk));
}

// Writes refuse an empty S or B index key, but an item stored before its
// index was created may carry one; a backfill must leave it out.
TEST(IndexEntryTest, SparseWhenKeyIsEmptyStringOrBinary) {
  auto i = index(IndexSchema::Projection::kAll);
  Item empty_string = full_item();
  empty_string["g"] = S("");
  EXPECT_FALSE(index_entry(table(), i, empty_string));
  i.partition_key = {"bin", model::Type::B};
  Item empty_binary = full_item();
  empty_binary["bin"] = AttributeValue(model::Binary{});
  EXPECT_FALSE(index_entry(table(), i, empty_binary));
  empty_binary["bin"] = AttributeValue(model::Binary{"\x01"});
  EXPECT_TRUE(index_entry(table(), i, empty_binary));
}

// Writes refuse index key values over DynamoDB's limits (2048 bytes for a
// partition key, 1024 for a sort key); an item stored before its index was
// created may hold one, even one longer than the key codec can encode, and a
// backfill must leave it out instead of failing.
TEST(IndexEntryTest, SparseWhenKeyIsOverTheSizeLimit) {
  auto i = index(IndexSchema::Projection::kAll);
  i.sort_key = KeyAttribute{"s", model::Type::S};
  Item item = full_item();
  item["s"] = S(std::string(model::kMaxSortKeyBytes, 's'));
  item["g"] = S(std::string(model::kMaxPartitionKeyBytes, 'g'));
  EXPECT_TRUE(index_entry(table(), i, item));
  item["g"] = S(std::string(model::kMaxPartitionKeyBytes + 1, 'g'));
  EXPECT_FALSE(index_entry(table(), i, item));
  item["g"] = S(std::string(70000, 'g'));
  EXPECT_FALSE(index_entry(table(), i, item));
  item["g"] = S("g");
  item["s"] = S(std::string(model::kMaxSortKeyBytes + 1, 's'));
  EXPECT_FALSE(index_entry(table(), i, item));
  i.sort_key.reset();
  i.partition_key = {"bin", model::Type::B};
  item["bin"] = AttributeValue(model::Binary{std::string(model::kMaxPartitionKeyBytes + 1, 'b')});
  EXPECT_FALSE(index_entry(table(), i, item));
}

TEST(IndexEntryTest, ProjectsNamesByProjectionType) {
  auto i = index(IndexSchema::Projection::kKeysOnly);
  for (const char* key : {"pk", "sk", "g", "h"})
    EXPECT_TRUE(index_projects(table(), i, key));
  EXPECT_FALSE(index_projects(table(), i, "a"));
  i.projection = IndexSchema::Projection::kInclude;
  i.non_key_attributes = {"a"};
  EXPECT_TRUE(index_projects(table(), i, "a"));
  EXPECT_FALSE(index_projects(table(), i, "b"));
  i.projection = IndexSchema::Projection::kAll;
  EXPECT_TRUE(index_projects(table(), i, "b"));
}

TEST(IndexEntryTest, KeysOnlyProjectsTableAndIndexKeys) {
  auto e = index_entry(table(), index(IndexSchema::Projection::kKeysOnly), full_item());
  ASSERT_TRUE(e);
  Item expected = {{"pk", S("p")}, {"sk", N("1")}, {"g", S("x")}, {"h", N("7")}};
  EXPECT_EQ(model::decode_item(e->value), expected);
}

TEST(IndexEntryTest, IncludeAddsNamedAttributesThatExist) {
  auto i = index(IndexSchema::Projection::kInclude);
  i.non_key_attributes = {"b", "missing"};
  auto e = index_entry(table(), i, full_item());
  ASSERT_TRUE(e);
  Item expected = {
      {"pk", S("p")}, {"sk", N("1")}, {"g", S("x")}, {"h", N("7")}, {"b", S("beta")}};
  EXPECT_EQ(model::decode_item(e->value), expected);
}

TEST(IndexEntryTest, ChangingAnIndexKeyMovesTheEntry) {
  auto i = index(IndexSchema::Projection::kAll);
  Item before = full_item();
  Item after = full_item();
  after["h"] = N("8");
  Item other_attr = full_item();
  other_attr["a"] = S("changed");
  auto e1 = index_entry(table(), i, before);
  auto e2 = index_entry(table(), i, after);
  auto e3 = index_entry(table(), i, other_attr);
  ASSERT_TRUE(e1 && e2 && e3);
  EXPECT_NE(e1->key, e2->key);
  EXPECT_EQ(e1->key, e3->key);
  EXPECT_NE(e1->value, e3->value);
}

}  // namespace
}  // namespace jormun::storage
