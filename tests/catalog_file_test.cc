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
  auto read = read_catalog(path).value();
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

TEST(CatalogFileTest, MultiAttributeKeysRoundTrip) {
  TableSchema t;
  t.name = "t";
  t.id = "id";
  t.partition_key = {"pk", model::Type::S};
  t.engine = t.plugin = "rocksdb";
  IndexSchema g;
  g.name = "multi";
  g.global = true;
  g.partition_key = {"a", model::Type::S};
  g.more_partition_keys = {{"b", model::Type::N}};
  g.sort_key = KeyAttribute{"c", model::Type::B};
  g.more_sort_keys = {{"d", model::Type::S}, {"e", model::Type::N}};
  t.indexes = {g};
  std::string path = temp_path("catalog-multi");
  write_catalog(path, {t});
  auto read = read_catalog(path).value();
  std::filesystem::remove(path);
  const IndexSchema& r = read.at(0).indexes.at(0);
  std::vector<std::string> names;
  for (const KeyAttribute* k : r.partition_keys()) names.push_back(k->name);
  for (const KeyAttribute* k : r.sort_keys()) names.push_back(k->name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(r.more_sort_keys.at(1).type, model::Type::N);
}

// A catalog as written before indexes and durability existed.
constexpr const char* kOldCatalog = R"({"format": 1, "tables": [{"name": "t", "id": "i",
      "creation_time": 1.5, "partition_key": {"name": "pk", "type": "S"},
      "attribute_definitions": [{"name": "pk", "type": "S"}],
      "billing_mode": "PAY_PER_REQUEST", "read_capacity": 0, "write_capacity": 0,
      "engine": "lmdb", "plugin": "lmdb", "engine_options": {}}]})";

TEST(CatalogFileTest, CatalogWithoutIndexesMemberHasNone) {
  std::string path = temp_path("catalog-old");
  std::ofstream(path) << kOldCatalog;
  auto read = read_catalog(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 1u);
  EXPECT_TRUE((*read)[0].indexes.empty());
  EXPECT_EQ((*read)[0].engine, "lmdb");
}

TEST(CatalogFileTest, TtlAttributeRoundTripsAndIsAbsentInOldCatalogs) {
  TableSchema t;
  t.name = "t";
  t.id = "id";
  t.partition_key = {"pk", model::Type::S};
  t.attribute_definitions = {t.partition_key};
  t.engine = t.plugin = "rocksdb";
  t.ttl_attribute = "expires";
  TableSchema off = t;
  off.name = "u";
  off.ttl_attribute.clear();
  std::string path = temp_path("catalog-ttl");
  write_catalog(path, {t, off});
  auto read = read_catalog(path).value();
  std::filesystem::remove(path);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].ttl_attribute, "expires");
  EXPECT_EQ(read[1].ttl_attribute, "");

  std::ofstream(path) << kOldCatalog;
  auto old = read_catalog(path).value();
  std::filesystem::remove(path);
  EXPECT_EQ(old.at(0).ttl_attribute, "");  // written before TTL: disabled
}

TEST(CatalogFileTest, MigratedFolderAndOldCopiesRoundTripButNotMigrating) {
  TableSchema t;
  t.name = "t";
  t.id = "id";
  t.partition_key = {"pk", model::Type::S};
  t.attribute_definitions = {t.partition_key};
  t.engine = t.plugin = "sqlite";
  t.folder = "t@00ff";
  t.old_copies = {"t", "t@0a"};
  t.migrating = true;  // in memory only
  TableSchema plain = t;
  plain.name = "u";
  plain.folder.clear();
  plain.old_copies.clear();
  std::string path = temp_path("catalog-migrated");
  write_catalog(path, {t, plain});
  auto read = read_catalog(path).value();
  std::filesystem::remove(path);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].folder_name(), "t@00ff");
  EXPECT_EQ(read[0].old_copies, (std::vector<std::string>{"t", "t@0a"}));
  EXPECT_FALSE(read[0].migrating);
  EXPECT_EQ(read[1].folder_name(), "u");
  EXPECT_TRUE(read[1].old_copies.empty());
}

TEST(CatalogFileTest, RetiredTablesRoundTripApart) {
  TableSchema live;
  live.name = "t";
  live.id = "new-id";
  live.partition_key = {"pk", model::Type::S};
  live.attribute_definitions = {live.partition_key};
  live.engine = live.plugin = "rocksdb";
  TableSchema gone = live;
  gone.id = "old-id";
  gone.deleted_ms = 1700000000123;
  std::string path = temp_path("catalog-retired");
  write_catalog(path, {gone, live});
  std::string text = read_file(path).value();
  auto read = read_catalog(path).value();
  std::filesystem::remove(path);
  // A server that reads only "tables" does not see the deleted one.
  EXPECT_LT(text.find("new-id"), text.find("\"retired\""));
  EXPECT_GT(text.find("old-id"), text.find("\"retired\""));
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].id, "new-id");
  EXPECT_EQ(read[0].deleted_ms, 0);
  EXPECT_EQ(read[1].id, "old-id");
  EXPECT_EQ(read[1].deleted_ms, 1700000000123);
}

TEST(CatalogFileTest, NoFileIsNoCatalog) {
  EXPECT_FALSE(read_catalog(temp_path("catalog-absent")));
}

// The DataDirError reading `contents` throws ("" when none).
std::string read_error(const std::string& contents) {
  std::string path = temp_path("catalog-bad");
  std::ofstream(path) << contents;
  std::string error;
  try {
    read_catalog(path);
  } catch (const DataDirError& e) {
    error = e.what();
  }
  std::filesystem::remove(path);
  // Every error names the file first.
  if (!error.empty()) {
    EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
  }
  return error.empty() ? "" : error.substr(path.size() + 2);
}

// kOldCatalog with `from` replaced by `to`.
std::string old_catalog_with(const std::string& from, const std::string& to) {
  std::string s = kOldCatalog;
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(CatalogFileTest, UnreadableFileIsAnErrorNamingThePath) {
  std::string path = temp_path("catalog-dir");
  std::filesystem::create_directory(path);
  try {
    read_catalog(path);
    ADD_FAILURE() << "a directory read as a catalog";
  } catch (const DataDirError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": cannot read: ", 0), 0u) << e.what();
  }
  std::filesystem::remove(path);
  EXPECT_EQ(read_error(""), "not valid JSON (The document is empty. at offset 0)");
  EXPECT_EQ(read_error(std::string(kOldCatalog).substr(0, 40)).rfind("not valid JSON (", 0),
            0u);
}

TEST(CatalogFileTest, FieldOfTheWrongTypeNamesTableAndField) {
  const std::pair<std::pair<const char*, const char*>, const char*> cases[] = {
      {{R"("format": 1)", R"("format": "1")"}, "format must be an integer"},
      {{R"("format": 1)", R"("format": 2)"},
       "format is 2, a catalog format this server does not know (it reads 1)"},
      {{R"("name": "t")", R"("name": 7)"}, "tables[0].name must be a string"},
      {{R"("id": "i",)", ""}, "table \"t\": id is missing"},
      {{R"("creation_time": 1.5)", R"("creation_time": "x")"},
       "table \"t\": creation_time must be a number"},
      {{R"("type": "S"})", R"("type": 1})"},
       "table \"t\": partition_key.type must be a string"},
      {{R"("type": "S"})", R"("type": "X"})"},
       "table \"t\": partition_key.type must be S, N or B, not 'X'"},
      {{R"([{"name": "pk", "type": "S"}])", "[5]"},
       "table \"t\": attribute_definitions[0] must be an object"},
      {{R"("read_capacity": 0)", R"("read_capacity": "0")"},
       "table \"t\": read_capacity must be an integer"},
      {{R"("write_capacity": 0)", R"("write_capacity": 0.5)"},
       "table \"t\": write_capacity must be an integer"},
      {{R"("engine_options": {})", R"("engine_options": {"a": 1})"},
       "table \"t\": engine_options.a must be a string"},
      {{R"("engine_options": {})", R"("engine_options": {}, "durable": "yes")"},
       "table \"t\": durable must be true or false"},
      {{R"("engine_options": {})", R"("engine_options": {}, "indexes": {})"},
       "table \"t\": indexes must be an array"},
      {{R"("engine_options": {})",
        R"("engine_options": {}, "indexes": [{"name": "g", "global": 1}])"},
       "table \"t\": index \"g\": global must be true or false"},
      {{R"("engine_options": {})",
        R"("engine_options": {}, "indexes": [{"name": "g", "global": true,
            "partition_key": {"name": "pk", "type": "S"}, "projection": "ALL",
            "non_key_attributes": [1]}])"},
       "table \"t\": index \"g\": non_key_attributes[0] must be a string"},
  };
  for (const auto& [edit, expected] : cases) {
    EXPECT_EQ(read_error(old_catalog_with(edit.first, edit.second)), expected);
  }
  EXPECT_EQ(read_error("[]"), "the top level must be an object");
  EXPECT_EQ(read_error(R"({"format": 1, "tables": {}})"), "tables must be an array");
}

}  // namespace
}  // namespace jormun::storage
