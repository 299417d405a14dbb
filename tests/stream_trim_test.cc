// Stream shards and retention on a real RocksDB table: roll-over by age
// (with the server clock moved), trimming in bounded batches, and the trim
// horizon and shards across a reopen.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "rocksdb_table_util.h"
#include "storage/stream_shards.h"
#include "storage/write_set.h"

namespace jormun {
namespace {

using model::AttributeValue;
using storage::StreamSchema;

constexpr uint64_t kHour = 3600;

// A stream label for the server clock's now.
std::string label_now() {
  const int64_t ms = clock::now_ms();
  const std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(text) + "." + std::to_string(1000 + ms % 1000).substr(1);
}

class StreamTrimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = storage::test::fresh_test_dir("stream_trim");
    stream_.number = 1;
    stream_.label = label_now();
    stream_.view = StreamSchema::View::kKeysOnly;
    table_ = open();
  }
  void TearDown() override {
    clock::set_test_offset_seconds(0);
    table_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<storage::Table> open() {
    auto schema = storage::test::pk_schema("t", false);
    schema.streams.push_back(stream_);
    return storage::test::open_rocksdb_table(schema, dir_);
  }
  void put(const std::string& pk) {
    storage::WriteSet set;
    set.stage(*table_, storage::test::pk_key(pk),
              storage::test::put_mutation({{"pk", AttributeValue(pk)}}));
    set.commit();
  }
  std::vector<uint64_t> records() {
    std::vector<uint64_t> out;
    table_->read_stream(1, 0, ~uint64_t{0}, [&](uint64_t seq, std::string_view) {
      out.push_back(seq);
      return true;
    });
    return out;
  }

  StreamSchema stream_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::Table> table_;
};

TEST_F(StreamTrimTest, AShardRollsOverAfterFourHoursWithItsParent) {
  put("a");
  put("b");
  ASSERT_EQ(table_->stream_shards(stream_).shards.size(), 1u);
  clock::set_test_offset_seconds(3 * kHour);  // not old enough yet
  put("c");
  ASSERT_EQ(table_->stream_shards(stream_).shards.size(), 1u);
  clock::set_test_offset_seconds(4 * kHour + 1);
  put("d");
  put("e");
  auto shards = table_->stream_shards(stream_).shards;
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[1].first, 4u);  // the record of "d"
  EXPECT_EQ(shards[1].parent, shards[0].id);
  EXPECT_TRUE(shards[0].parent.empty());
  EXPECT_NE(shards[1].id, shards[0].id);
  // The shard's key is on disk: a reopened table has the same shards.
  table_.reset();
  table_ = open();
  auto again = table_->stream_shards(stream_).shards;
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].id, shards[1].id);
  EXPECT_EQ(again[1].first, 4u);
  EXPECT_EQ(again[1].parent, shards[0].id);
  put("f");
  EXPECT_EQ(table_->stream_shards(stream_).shards.size(), 2u);
  EXPECT_EQ(records(), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(StreamTrimTest, TrimsOldRecordsInBatchesAndMovesTheHorizon) {
  put("a");
  put("b");
  put("c");
  // Nothing is older than an hour ago.
  EXPECT_EQ(table_->trim_stream(stream_, clock::now_ms() - 3600 * 1000, 10), 0u);
  const int64_t later = clock::now_ms() + 1000;
  EXPECT_EQ(table_->trim_stream(stream_, later, 2), 2u);
  EXPECT_EQ(table_->stream_shards(stream_).horizon, 2u);
  EXPECT_EQ(records(), (std::vector<uint64_t>{3}));
  EXPECT_EQ(table_->trim_stream(stream_, later, 2), 1u);
  EXPECT_EQ(table_->trim_stream(stream_, later, 2), 0u);
  EXPECT_EQ(table_->stream_shards(stream_).horizon, 3u);
  EXPECT_TRUE(records().empty());
}

TEST_F(StreamTrimTest, NumbersGoOnPastTrimmedRecordsAfterReopen) {
  put("a");
  put("b");
  ASSERT_EQ(table_->trim_stream(stream_, clock::now_ms() + 1000, 10), 2u);
  table_.reset();
  table_ = open();
  EXPECT_EQ(table_->stream_shards(stream_).horizon, 2u);
  put("c");
  EXPECT_EQ(records(), (std::vector<uint64_t>{3}));
}

}  // namespace
}  // namespace jormun
