#include "storage/catalog_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace jormun::storage {
namespace {

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string(name) + "-" + std::to_string(::getpid()) + ".json"))
      .string();
}

TEST(CatalogFileTest, IndexesRoundTrip) {
  TableSchema t;
  t.name = "t";
  t.id = "id";
  t.partition_key = {"pk", model::Type::S};
  t.sort_key = KeyAttribute{"sk", model::Type::N};
  t.attribute_definitions = {{"pk", model::Type::S}, {"sk", model::Type::N},
                             {"g", model::Type::B}};
  t.engine = "rocksdb";
  t.plugin = "rocksdb";
  IndexSchema g;
  g.name = "byg";
  g.global = true;
  g.partition_key = {"g", model::Type::B};
  g.projection = IndexSchema::Projection::kInclude;
  g.non_key_attributes = {"a", "b"};
  g.read_capacity = 3;
  g.write_capacity = 4;
  g.state = IndexSchema::State::kCreating;
  IndexSchema l;
  l.name = "byl";
  l.partition_key = {"pk", model::Type::S};
  l.sort_key = KeyAttribute{"g", model::Type::B};
  l.projection = IndexSchema::Projection::kKeysOnly;
  l.state = IndexSchema::State::kDeleting;
  t.indexes = {g, l};

  std::string path = temp_path("catalog-indexes");
  write_catalog(path, {t});
  auto read = read_catalog(path);
  std::filesystem::remove(path);
  ASSERT_EQ(read.size(), 1u);
  ASSERT_EQ(read[0].indexes.size(), 2u);
  const IndexSchema& rg = read[0].indexes[0];
  EXPECT_EQ(rg.name, "byg");
  EXPECT_TRUE(rg.global);
  EXPECT_EQ(rg.partition_key.type, model::Type::B);
  EXPECT_FALSE(rg.sort_key);
  EXPECT_EQ(rg.projection, IndexSchema::Projection::kInclude);
  EXPECT_EQ(rg.non_key_attributes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(rg.read_capacity, 3);
  EXPECT_EQ(rg.write_capacity, 4);
  EXPECT_EQ(rg.state, IndexSchema::State::kCreating);
  EXPECT_FALSE(rg.queryable());
  const IndexSchema& rl = read[0].indexes[1];
  EXPECT_FALSE(rl.global);
  ASSERT_TRUE(rl.sort_key);
  EXPECT_EQ(rl.sort_key->name, "g");
  EXPECT_EQ(rl.projection, IndexSchema::Projection::kKeysOnly);
  EXPECT_EQ(rl.state, IndexSchema::State::kDeleting);
}

TEST(CatalogFileTest, CatalogWithoutIndexesMemberHasNone) {
  std::string path = temp_path("catalog-old");
  std::ofstream(path) << R"({"format": 1, "tables": [{"name": "t", "id": "i",
      "creation_time": 1.5, "partition_key": {"name": "pk", "type": "S"},
      "attribute_definitions": [{"name": "pk", "type": "S"}],
      "billing_mode": "PAY_PER_REQUEST", "read_capacity": 0, "write_capacity": 0,
      "engine": "lmdb", "plugin": "lmdb", "engine_options": {}}]})";
  auto read = read_catalog(path);
  std::filesystem::remove(path);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_TRUE(read[0].indexes.empty());
  EXPECT_EQ(read[0].engine, "lmdb");
}

}  // namespace
}  // namespace jormun::storage
