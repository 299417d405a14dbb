// Catalog::create and drop against a real RocksDB table: once a drop is
// committed the table's files go and its name is free again, whatever fails
// on the way; the markers that tell start-up what a folder is are written
// before the work.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "catalog_test_util.h"
#include "common/api_error.h"
#include "storage/table_dir.h"
#include "table_test_peer.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;

using CatalogDropTest = CatalogTest;

// A table holding an item the codec cannot read is still deletable: its
// figures are kept with the writes, so DeleteTable's answer reads no item.
TEST_F(CatalogDropTest, DropSucceedsWithAnUnreadableItem) {
  auto table = create("broken");
  host::WriteBatch batch;
  batch.put(storage::TableTestPeer::items(*table), "some key", "\xff not an item");
  storage::TableTestPeer::write(*table, batch);
  table.reset();

  auto [schema, stats] = catalog_->drop("broken");
  EXPECT_EQ(schema.name, "broken");
  EXPECT_EQ(stats.item_count, 0u);
  EXPECT_EQ(catalog_->find("broken"), nullptr);
  EXPECT_FALSE(fs::exists(table_dir("broken")));
  // The name is free at once, and the new table starts empty.
  auto again = create("broken");
  EXPECT_EQ(again->stats().item_count, 0u);
}

// A catalog that cannot be written leaves the table where it was.
TEST_F(CatalogDropTest, DropThatCannotPersistChangesNothing) {
  create("kept");
  const fs::path blocker = fs::path(dir_) / "catalog.json.tmp";
  fs::create_directory(blocker);  // the atomic write's temp file cannot be opened
  EXPECT_THROW(catalog_->drop("kept"), std::exception);
  ASSERT_NE(catalog_->find("kept"), nullptr);
  EXPECT_TRUE(fs::exists(table_dir("kept")));
  try {
    create("kept");
    FAIL() << "the name must still be taken";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "ResourceInUseException");
  }
  fs::remove(blocker);
  catalog_->drop("kept");
  EXPECT_EQ(catalog_->find("kept"), nullptr);
  EXPECT_FALSE(fs::exists(table_dir("kept")));
  create("kept");
}

TEST_F(CatalogDropTest, DropThatCannotPersistLeavesNoDropMarker) {
  create("marked");
  fs::create_directory(path("catalog.json.tmp"));  // the catalog write fails
  EXPECT_THROW(catalog_->drop("marked"), std::exception);
  // Not dropped: the marker goes again, or start-up would think it was.
  EXPECT_FALSE(fs::exists(table_dir("marked") / kDeletingMarker));
  fs::remove(path("catalog.json.tmp"));
}

TEST_F(CatalogDropTest, CreateClearsAFolderADropLeftBehind) {
  fs::create_directories(table_dir("stale") / "old-engine-files");
  std::ofstream(table_dir("stale") / kDeletingMarker);
  create("stale");
  EXPECT_FALSE(fs::exists(table_dir("stale") / "old-engine-files"));
  EXPECT_FALSE(fs::exists(path("orphans")));
}

TEST_F(CatalogDropTest, CreateMovesAnUnexplainedFolderAside) {
  fs::create_directories(table_dir("stale") / "someones-files");
  create("stale");
  EXPECT_FALSE(fs::exists(table_dir("stale") / "someones-files"));
  EXPECT_TRUE(fs::exists(path("orphans/stale/someones-files")));
  EXPECT_FALSE(fs::exists(table_dir("stale") / kCreatingMarker));
  EXPECT_TRUE(fs::exists(table_dir("stale") / kTableIdMarker));
}

}  // namespace
}  // namespace jormun::storage
