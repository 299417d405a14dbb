// Catalog start-up (prepare_data_dir) against real RocksDB tables: it never
// deletes or silently empties a table; what it cannot explain stops it or is
// moved aside.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "catalog_test_util.h"
#include "storage/catalog_file.h"
#include "storage/table_dir.h"
#include "table_test_peer.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;

class CatalogStartupTest : public CatalogTest {
 protected:
  // Creates `name` holding one item.
  void create_with_item(const std::string& name) {
    auto table = create(name);
    host::WriteBatch batch;
    batch.put(storage::TableTestPeer::items(*table), "key", "value");
    storage::TableTestPeer::write(*table, batch);
  }
  bool has_item(const std::string& name) {
    auto table = catalog_->find(name);
    if (!table) return false;
    std::string value;
    return table->get_stored("key", &value) && value == "value";
  }
  // The DataDirError a restart throws ("" when it starts).
  std::string restart_error() {
    try {
      restart();
    } catch (const DataDirError& e) {
      return e.what();
    }
    return "";
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(CatalogStartupTest, FirstStartWritesAnEmptyCatalog) {
  auto tables = read_catalog(path("catalog.json").string());
  ASSERT_TRUE(tables);
  EXPECT_TRUE(tables->empty());
}

TEST_F(CatalogStartupTest, MissingCatalogNextToTableFoldersStopsStartUp) {
  create_with_item("t");
  catalog_.reset();
  fs::rename(path("catalog.json"), path("saved.json"));
  std::string error = restart_error();
  EXPECT_NE(error.find(path("catalog.json").string() + " is missing"), std::string::npos)
      << error;
  EXPECT_TRUE(fs::exists(table_dir("t") / kTableIdMarker));
  EXPECT_FALSE(fs::exists(path("catalog.json")));
  fs::rename(path("saved.json"), path("catalog.json"));
  restart();
  EXPECT_TRUE(has_item("t"));
}

TEST_F(CatalogStartupTest, UnreadableCatalogStopsStartUp) {
  create_with_item("t");
  catalog_.reset();
  fs::rename(path("catalog.json"), path("saved.json"));
  fs::create_directory(path("catalog.json"));
  std::string error = restart_error();
  EXPECT_EQ(error.rfind(path("catalog.json").string() + ": cannot read", 0), 0u) << error;
  fs::remove(path("catalog.json"));
  fs::rename(path("saved.json"), path("catalog.json"));
  restart();
  EXPECT_TRUE(has_item("t"));
}

TEST_F(CatalogStartupTest, EmptiedOrMissingFolderStopsStartUpNamingEach) {
  create_with_item("emptied");
  create_with_item("gone");
  create_with_item("fine");
  catalog_.reset();
  fs::rename(table_dir("emptied"), path("saved-emptied"));
  fs::create_directory(table_dir("emptied"));
  fs::rename(table_dir("gone"), path("saved-gone"));
  std::string error = restart_error();
  EXPECT_NE(error.find("table \"emptied\": its folder " + table_dir("emptied").string() +
                       " is empty"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("table \"gone\": its folder " + table_dir("gone").string() +
                       " is missing"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find("\"fine\""), std::string::npos) << error;
  // Nothing touched: no folder created, none moved aside, the table intact.
  EXPECT_TRUE(fs::is_empty(table_dir("emptied")));
  EXPECT_FALSE(fs::exists(table_dir("gone")));
  EXPECT_FALSE(fs::exists(path("orphans")));
  fs::remove(table_dir("emptied"));
  fs::rename(path("saved-emptied"), table_dir("emptied"));
  fs::rename(path("saved-gone"), table_dir("gone"));
  restart();
  EXPECT_TRUE(has_item("emptied"));
  EXPECT_TRUE(has_item("gone"));
}

TEST_F(CatalogStartupTest, FolderOfAnotherTableStopsStartUp) {
  create_with_item("t");
  std::string id = catalog_->find("t")->schema().id;
  catalog_.reset();
  std::ofstream(table_dir("t") / kTableIdMarker) << "another-id\n";
  std::string error = restart_error();
  EXPECT_NE(error.find("holds the id 'another-id', the catalog says " + id),
            std::string::npos)
      << error;
  std::ofstream(table_dir("t") / kTableIdMarker) << id << "\n";
  restart();
  EXPECT_TRUE(has_item("t"));
}

TEST_F(CatalogStartupTest, FolderWithoutIdMarkerButWithDataIsAdopted) {
  create_with_item("old");
  std::string id = catalog_->find("old")->schema().id;
  catalog_.reset();
  fs::remove(table_dir("old") / kTableIdMarker);
  restart();
  EXPECT_TRUE(has_item("old"));
  EXPECT_EQ(read(table_dir("old") / kTableIdMarker), id + "\n");
}

TEST_F(CatalogStartupTest, StaleMarkersOfListedTablesAreCleared) {
  create_with_item("created");
  create_with_item("not_deleted");
  catalog_.reset();
  std::ofstream(table_dir("created") / kCreatingMarker);
  std::ofstream(table_dir("not_deleted") / kDeletingMarker);
  restart();
  EXPECT_TRUE(has_item("created"));
  EXPECT_TRUE(has_item("not_deleted"));
  EXPECT_FALSE(fs::exists(table_dir("created") / kCreatingMarker));
  EXPECT_FALSE(fs::exists(table_dir("not_deleted") / kDeletingMarker));
}

TEST_F(CatalogStartupTest, MarkedLeftoversGoAndUnexplainedOnesMoveAside) {
  create_with_item("t");
  catalog_.reset();
  for (const char* name : {"half_created", "half_deleted", "stray", "stray2"}) {
    fs::create_directories(table_dir(name) / "engine");
    std::ofstream(table_dir(name) / "engine" / "file") << name;
  }
  std::ofstream(table_dir("half_created") / kCreatingMarker);
  std::ofstream(table_dir("half_deleted") / kDeletingMarker);
  fs::create_directories(path("orphans/stray"));  // taken: the next is stray.1
  restart();
  EXPECT_TRUE(has_item("t"));
  EXPECT_FALSE(fs::exists(table_dir("half_created")));
  EXPECT_FALSE(fs::exists(table_dir("half_deleted")));
  EXPECT_FALSE(fs::exists(table_dir("stray")));
  EXPECT_EQ(read(path("orphans/stray.1/engine/file")), "stray");
  EXPECT_EQ(read(path("orphans/stray2/engine/file")), "stray2");
  EXPECT_EQ(catalog_->names(), std::vector<std::string>{"t"});
}

}  // namespace
}  // namespace jormun::storage
