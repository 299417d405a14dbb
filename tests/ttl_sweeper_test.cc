// The TTL sweeper's expiry decision, and its deletion through the write
// path: index entries go with the item, and an item renewed since the sweep
// read it stays.
#include "ops/ttl_sweeper.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <string>

#include "model/key_codec.h"
#include "storage/write_set.h"

namespace jormun::ops {
namespace {

using model::AttributeValue;
using model::Decimal;
using model::Item;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }
AttributeValue N(const char* n) { return AttributeValue(Decimal::parse(n)); }

TEST(TtlExpired, OnlyANumberBeforeNowExpires) {
  const Decimal now = Decimal::parse("1000");
  EXPECT_TRUE(ttl_expired({{"exp", N("999")}}, "exp", now));
  EXPECT_TRUE(ttl_expired({{"exp", N("999.5")}}, "exp", now));
  EXPECT_TRUE(ttl_expired({{"exp", N("-1")}}, "exp", now));
  EXPECT_FALSE(ttl_expired({{"exp", N("1000")}}, "exp", now));  // not before now
  EXPECT_FALSE(ttl_expired({{"exp", N("1000.5")}}, "exp", now));
  EXPECT_FALSE(ttl_expired({{"exp", S("999")}}, "exp", now));  // a string never expires
  EXPECT_FALSE(
      ttl_expired({{"exp", model::NumberSet{{Decimal::parse("1")}}}}, "exp", now));
  EXPECT_FALSE(ttl_expired({{"other", N("1")}}, "exp", now));             // absent
  EXPECT_FALSE(ttl_expired({{"m", Item{{"exp", N("1")}}}}, "exp", now));  // nested only
}

// A table keyed by pk (S) with a GSI "byg" on g (S), on RocksDB.
class TtlDeleteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jormun-ttl-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so");
    storage::TableSchema s;
    s.name = "t";
    s.partition_key = {"pk", model::Type::S};
    storage::IndexSchema byg;
    byg.name = "byg";
    byg.global = true;
    byg.partition_key = {"g", model::Type::S};
    s.indexes.push_back(byg);
    s.attribute_definitions = {s.partition_key, byg.partition_key};
    s.ttl_attribute = "exp";
    table_ = std::make_unique<storage::Table>(
        std::move(s), host::Instance::open(library, dir_.string(), {}));
  }
  void TearDown() override {
    table_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string key(const std::string& pk) {
    return model::base_key(S(pk), nullptr);
  }

  void put(const Item& item) {
    storage::WriteSet set;
    storage::Mutation m;
    m.decide = [&item](const Item*) { return std::optional<Item>(item); };
    set.stage(*table_, key(item.at("pk").as<std::string>()), m);
    set.commit();
  }

  size_t index_entries() {
    storage::PageSpec spec;
    spec.index = table_->find_index("byg");
    return table_->read_page(spec, [](std::string_view) { return size_t{0}; }).scanned;
  }

  // What the sweeper does with an item it read as expired at `now`.
  bool sweep(const std::string& pk, const Decimal& now) {
    storage::WriteSet set;
    try {
      set.stage(*table_, key(pk), expiry_mutation("exp", now));
    } catch (const NotExpired&) {
      return false;
    }
    set.commit();
    return true;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Table> table_;
};

TEST_F(TtlDeleteTest, AnExpiredItemGoesWithItsIndexEntry) {
  put({{"pk", S("a")}, {"g", S("x")}, {"exp", N("10")}});
  ASSERT_EQ(index_entries(), 1u);
  EXPECT_TRUE(sweep("a", Decimal::parse("11")));
  EXPECT_FALSE(table_->get(key("a")));
  EXPECT_EQ(index_entries(), 0u);
}

TEST_F(TtlDeleteTest, AnItemRenewedSinceTheSweepReadItStays) {
  // The sweep read the item with exp 10; a write renewed it before the
  // sweep locked it. Under the lock the expiry is decided again.
  put({{"pk", S("a")}, {"g", S("x")}, {"exp", N("10")}});
  put({{"pk", S("a")}, {"g", S("x")}, {"exp", N("100")}});
  EXPECT_FALSE(sweep("a", Decimal::parse("11")));
  ASSERT_TRUE(table_->get(key("a")));
  EXPECT_EQ(table_->get(key("a"))->at("exp"), N("100"));
  EXPECT_EQ(index_entries(), 1u);
  // Its TTL attribute removed, or the item deleted, it is left alone too.
  put({{"pk", S("a")}, {"g", S("x")}});
  EXPECT_FALSE(sweep("a", Decimal::parse("1000")));
  EXPECT_TRUE(table_->get(key("a")));
  EXPECT_FALSE(sweep("gone", Decimal::parse("1000")));
}

}  // namespace
}  // namespace jormun::ops
