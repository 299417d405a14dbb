// Catalog::drop against a real RocksDB table: once the drop is committed the
// table's files go and its name is free again, whatever fails on the way.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "common/api_error.h"
#include "config/config.h"
#include "storage/catalog.h"
#include "storage/engine_registry.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;

class CatalogDropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "jormun_catalog_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    config_ = config::parse_config(
        "engines:\n  rocksdb: {plugin: rocksdb}\n"
        "tables:\n  default: rocksdb\n",
        "test.yaml");
    config_.data_dir = dir_;
    engines_.emplace(config_, JORMUN_TEST_PLUGIN_DIR);
    catalog_.emplace(config_, *engines_);
  }
  void TearDown() override {
    catalog_.reset();
    fs::remove_all(dir_);
  }

  std::shared_ptr<Table> create(const std::string& name) {
    TableSchema s;
    s.name = name;
    s.partition_key = {"pk", model::Type::S};
    s.attribute_definitions = {s.partition_key};
    return catalog_->create(std::move(s));
  }

  fs::path table_dir(const std::string& name) const {
    return fs::path(dir_) / "tables" / name;
  }

  std::string dir_;
  config::Config config_;
  std::optional<EngineRegistry> engines_;
  std::optional<Catalog> catalog_;
};

// An item the codec cannot read makes the statistics scan throw; DeleteTable
// must still succeed, or such a table could never be deleted.
TEST_F(CatalogDropTest, DropSucceedsWhenTheStatisticsScanFails) {
  auto table = create("broken");
  host::WriteBatch batch;
  batch.put(table->items(), "some key", "\xff not an item");
  table->engine().write(batch, true);
  EXPECT_THROW(table->stats(), std::exception);
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

TEST_F(CatalogDropTest, CreateClearsADirectoryADropLeftBehind) {
  fs::create_directories(table_dir("stale") / "old-engine-files");
  create("stale");
  EXPECT_FALSE(fs::exists(table_dir("stale") / "old-engine-files"));
}

}  // namespace
}  // namespace jormun::storage
