// storage::Table's GSI backfill on a real RocksDB table: one given a
// position (a cluster's takeover, storage/backfill_lease.h) goes on after
// it, and tells its keep() only of items whose entries are committed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "model/item_codec.h"
#include "rocksdb_table_util.h"
#include "table_test_peer.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;

TEST(TableBackfillTest, ABackfillGivenAPositionGoesOnAfterIt) {
  const auto dir = test::fresh_test_dir("table-backfill");
  auto table = test::open_rocksdb_table(test::pk_schema("t", true), dir / "t");
  // Items stored as if before the index existed: no entries yet.
  std::vector<std::string> keys;
  host::WriteBatch raw;
  for (int i = 0; i < 5; ++i) {
    const std::string pk = "k" + std::to_string(i);
    keys.push_back(test::pk_key(pk));
    raw.put(TableTestPeer::items(*table), keys.back(),
            model::encode_item({{"pk", AttributeValue(pk)}, {"g", AttributeValue("x")}}));
  }
  TableTestPeer::write(*table, raw);
  std::sort(keys.begin(), keys.end());  // the order the backfill reads them in
  TableSchema creating = table->schema();
  creating.indexes[0].state = IndexSchema::State::kCreating;
  table->set_schema(creating);

  // The entries of the first two items were written by the holder.
  std::vector<BackfillProgress> told;
  std::promise<void> finished;
  table->start_backfill(
      "byg", [&](std::stop_token) { finished.set_value(); },
      [&](std::stop_token, const BackfillProgress& done) {
        told.push_back(done);
        return true;
      },
      BackfillProgress{2, keys[1]});
  ASSERT_EQ(finished.get_future().wait_for(std::chrono::seconds(30)),
            std::future_status::ready);

  std::set<std::string> indexed;
  PageSpec spec;
  spec.index = table->find_index("byg");
  table->read_page(spec, [&](std::string_view stored) {
    indexed.insert(test::pk_key(model::decode_item(stored).at("pk").as<std::string>()));
    return size_t{0};
  });
  EXPECT_EQ(indexed, (std::set<std::string>{keys[2], keys[3], keys[4]}));
  // From the position given, one item further after each commit; none
  // during the recount.
  uint64_t furthest = 0;
  for (const auto& done : told) {
    if (done.items == 0) continue;
    ASSERT_GE(done.items, 2u);
    EXPECT_EQ(done.last_key, keys[done.items - 1]);
    furthest = std::max(furthest, done.items);
  }
  EXPECT_EQ(furthest, 4u);
  EXPECT_EQ(told.back().items, 0u);
  table.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jormun::storage
