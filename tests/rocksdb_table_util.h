// Real RocksDB tables in a fresh folder per test, for the tests of the write
// path below the operations (write sets, the transaction log, TTL deletes).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <memory>
#include <optional>
#include <string>

#include "model/key_codec.h"
#include "storage/page_read.h"
#include "storage/table.h"
#include "storage/write_set.h"

namespace jormun::storage::test {

// <tmp>/jormun-<prefix>-<pid>-<test name>, created empty.
inline std::filesystem::path fresh_test_dir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             ("jormun-" + prefix + "-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A table keyed by pk (S); with `byg`, it has a GSI "byg" on g (S).
inline TableSchema pk_schema(const std::string& name, bool byg) {
  TableSchema s;
  s.name = name;
  s.partition_key = {"pk", model::Type::S};
  s.attribute_definitions = {s.partition_key};
  if (byg) {
    IndexSchema index;
    index.name = "byg";
    index.global = true;
    index.partition_key = {"g", model::Type::S};
    s.indexes.push_back(index);
    s.attribute_definitions.push_back(index.partition_key);
  }
  return s;
}

// `schema` opened on RocksDB in `dir` (created if needed).
inline std::unique_ptr<Table> open_rocksdb_table(TableSchema schema,
                                                 const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so");
  return std::make_unique<Table>(std::move(schema),
                                 host::Instance::open(library, dir.string(), {}));
}

// The engine key of the item whose pk is `pk`.
inline std::string pk_key(const std::string& pk) {
  return model::base_key(model::AttributeValue(pk), nullptr);
}

// A mutation that stores `item` whatever is there.
inline Mutation put_mutation(model::Item item) {
  Mutation m;
  m.decide = [item = std::move(item)](const model::Item*) {
    return std::optional<model::Item>(item);
  };
  return m;
}

// The entries of index "byg".
inline size_t byg_entries(Table& t) {
  PageSpec spec;
  spec.index = t.find_index("byg");
  return t.read_page(spec, [](std::string_view) { return size_t{0}; }).scanned;
}

}  // namespace jormun::storage::test
