// A Catalog over a fresh data directory, with every table on RocksDB, for
// the tests of Catalog's create, drop and start-up.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>

#include "config/config.h"
#include "storage/catalog.h"
#include "storage/engine_registry.h"

namespace jormun::storage {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "jormun_catalog_XXXXXX").string();
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
    std::filesystem::remove_all(dir_);
  }

  // Closes the catalog and opens it again on the same data directory, as a
  // restart does; throws what the start-up throws (the catalog stays closed).
  void restart() {
    catalog_.reset();
    catalog_.emplace(config_, *engines_);
  }

  std::shared_ptr<Table> create(const std::string& name) {
    TableSchema s;
    s.name = name;
    s.partition_key = {"pk", model::Type::S};
    s.attribute_definitions = {s.partition_key};
    return catalog_->create(std::move(s));
  }

  std::filesystem::path path(const std::string& relative) const {
    return std::filesystem::path(dir_) / relative;
  }
  std::filesystem::path table_dir(const std::string& name) const {
    return path("tables") / name;
  }

  std::string dir_;
  config::Config config_;
  std::optional<EngineRegistry> engines_;
  std::optional<Catalog> catalog_;
};

}  // namespace jormun::storage
