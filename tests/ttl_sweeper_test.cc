// The TTL sweeper's expiry decision, and its deletion through the write
// path: index entries go with the item, and an item renewed since the sweep
// read it stays.
#include "ops/ttl_sweeper.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "rocksdb_table_util.h"
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
    dir_ = storage::test::fresh_test_dir("ttl");
    storage::TableSchema s = storage::test::pk_schema("t", true);
    s.ttl_attribute = "exp";
    table_ = storage::test::open_rocksdb_table(std::move(s), dir_);
  }
  void TearDown() override {
    table_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::string key(const std::string& pk) { return storage::test::pk_key(pk); }

  void put(const Item& item) {
    storage::WriteSet set;
    set.stage(*table_, key(item.at("pk").as<std::string>()),
              storage::test::put_mutation(item));
    set.commit();
  }

  size_t index_entries() { return storage::test::byg_entries(*table_); }

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
