// Streams below the API: sequence numbers, the record codec and its rules,
// signed shard iterators, the Record JSON, and records staged by write sets
// on a real RocksDB table.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>

#include "common/api_error.h"
#include "model/attribute_json.h"
#include "ops/shard_iterator.h"
#include "ops/stream_record_json.h"
#include "rocksdb_table_util.h"
#include "storage/stream_record.h"
#include "storage/stream_sequencer.h"
#include "storage/transaction_log.h"
#include "storage/write_set.h"

namespace jormun {
namespace {

using model::AttributeValue;
using model::Item;
using storage::StreamRecord;
using storage::StreamSchema;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }

storage::TableSchema pk_table() { return storage::test::pk_schema("t", false); }

TEST(StreamSequence, FixedWidthSoTextOrderIsNumberOrder) {
  EXPECT_EQ(storage::format_sequence(1), "000000000000000000001");
  EXPECT_EQ(storage::format_sequence(1).size(), 21u);
  EXPECT_LT(storage::format_sequence(9), storage::format_sequence(10));
  EXPECT_EQ(storage::parse_sequence("000000000000000000042"), 42u);
  EXPECT_EQ(storage::parse_sequence("42"), 42u);
  EXPECT_FALSE(storage::parse_sequence(""));
  EXPECT_FALSE(storage::parse_sequence("12a"));
  EXPECT_FALSE(storage::parse_sequence("-1"));
  EXPECT_FALSE(storage::parse_sequence("99999999999999999999"));    // over 2^64
  EXPECT_FALSE(storage::parse_sequence("0000000000000000000001"));  // 22 digits
}

TEST(StreamSequence, KeysOrderByStreamThenSequence) {
  EXPECT_LT(storage::stream_record_key(1, 500), storage::stream_record_key(2, 1));
  EXPECT_LT(storage::stream_record_key(1, 255), storage::stream_record_key(1, 256));
  EXPECT_EQ(storage::stream_of_key(storage::stream_record_key(7, 9)), 7u);
  EXPECT_EQ(storage::sequence_of_key(storage::stream_record_key(7, 9)), 9u);
}

TEST(StreamSequencer, ReadersStopBelowTheFirstNumberInFlight) {
  storage::StreamSequencer s(5);
  EXPECT_EQ(s.visible_end(), 5u);
  const uint64_t a = s.take(), b = s.take();
  EXPECT_EQ(a, 5u);
  EXPECT_EQ(b, 6u);
  s.done(b);  // committed first, but a is still in flight
  EXPECT_EQ(s.visible_end(), 5u);
  s.done(a);
  EXPECT_EQ(s.visible_end(), 7u);
}

TEST(StreamRecordRules, EventFollowsTheImages) {
  const Item v1{{"pk", S("p")}, {"a", S("1")}}, v2{{"pk", S("p")}, {"a", S("2")}};
  auto all = StreamSchema::View::kNewAndOldImages;
  auto insert = storage::make_stream_record(pk_table(), all, nullptr, &v1, false, 1);
  ASSERT_TRUE(insert);
  EXPECT_EQ(insert->event, StreamRecord::Event::kInsert);
  EXPECT_FALSE(insert->old_image);
  EXPECT_EQ(*insert->new_image, v1);
  auto modify = storage::make_stream_record(pk_table(), all, &v1, &v2, false, 1);
  EXPECT_EQ(modify->event, StreamRecord::Event::kModify);
  auto remove = storage::make_stream_record(pk_table(), all, &v1, nullptr, true, 1);
  EXPECT_EQ(remove->event, StreamRecord::Event::kRemove);
  EXPECT_EQ(remove->keys, (Item{{"pk", S("p")}}));
  EXPECT_TRUE(remove->by_service);
}

TEST(StreamRecordRules, AWriteThatChangesNothingHasNoRecord) {
  const Item v{{"pk", S("p")}, {"a", S("1")}};
  auto view = StreamSchema::View::kKeysOnly;
  EXPECT_FALSE(storage::make_stream_record(pk_table(), view, &v, &v, false, 1));
  EXPECT_FALSE(storage::make_stream_record(pk_table(), view, nullptr, nullptr, false, 1));
}

TEST(StreamRecordRules, ViewTypeDecidesTheImagesKept) {
  const Item v1{{"pk", S("p")}, {"a", S("1")}}, v2{{"pk", S("p")}, {"a", S("2")}};
  auto make = [&](StreamSchema::View view) {
    return *storage::make_stream_record(pk_table(), view, &v1, &v2, false, 1);
  };
  auto keys = make(StreamSchema::View::kKeysOnly);
  EXPECT_FALSE(keys.old_image || keys.new_image);
  auto fresh = make(StreamSchema::View::kNewImage);
  EXPECT_TRUE(fresh.new_image && !fresh.old_image);
  auto old = make(StreamSchema::View::kOldImage);
  EXPECT_TRUE(old.old_image && !old.new_image);
}

TEST(StreamRecordCodec, RoundTrips) {
  const Item v1{{"pk", S("p")}, {"a", S("1")}};
  auto r = *storage::make_stream_record(pk_table(), StreamSchema::View::kNewAndOldImages,
                                        &v1, nullptr, true, 1234567);
  StreamRecord back = storage::decode_stream_record(storage::encode_stream_record(r));
  EXPECT_EQ(back.event, r.event);
  EXPECT_EQ(back.by_service, true);
  EXPECT_EQ(back.time_ms, 1234567);
  EXPECT_EQ(back.keys, r.keys);
  EXPECT_EQ(back.old_image, r.old_image);
  EXPECT_FALSE(back.new_image);
  std::string bytes = storage::encode_stream_record(r);
  EXPECT_THROW(storage::decode_stream_record(bytes.substr(0, bytes.size() - 1)),
               std::runtime_error);
  bytes[0] = 9;  // an unknown version
  EXPECT_THROW(storage::decode_stream_record(bytes), std::runtime_error);
}

TEST(ShardIterator, RoundTripsWithItsKey) {
  ops::ShardIterator it{"t", "0c9e-id", 3, 40, 42, 1700000000000};
  auto back = ops::decode_shard_iterator(ops::encode_shard_iterator(it, "k1"), "k1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->table, "t");
  EXPECT_EQ(back->table_id, "0c9e-id");
  EXPECT_EQ(back->stream, 3u);
  EXPECT_EQ(back->shard, 40u);
  EXPECT_EQ(back->position, 42u);
  EXPECT_EQ(back->created_ms, 1700000000000);
}

TEST(ShardIterator, AnEditedOrForeignIteratorIsRefused) {
  ops::ShardIterator it{"t", "id", 3, 40, 42, 1700000000000};
  std::string text = ops::encode_shard_iterator(it, "k1");
  EXPECT_FALSE(ops::decode_shard_iterator(text, "k2"));
  std::string edited = text;
  edited.replace(edited.find("|42|"), 4, "|41|");  // go back in the stream
  EXPECT_FALSE(ops::decode_shard_iterator(edited, "k1"));
  std::string younger = text;
  younger.replace(younger.find("|1700000000000|"), 15, "|1900000000000|");
  EXPECT_FALSE(ops::decode_shard_iterator(younger, "k1"));
  EXPECT_FALSE(ops::decode_shard_iterator("", "k1"));
  EXPECT_FALSE(ops::decode_shard_iterator("garbage", "k1"));
}

TEST(StreamRecordJson, ServiceDeletionsCarryTheServiceIdentity) {
  const Item v{{"pk", S("p")}};
  StreamSchema stream;
  stream.number = 1;
  stream.view = StreamSchema::View::kNewAndOldImages;
  auto r = *storage::make_stream_record(pk_table(), stream.view, &v, nullptr, true,
                                        1700000000123);
  rapidjson::StringBuffer buf;
  model::JsonWriter w(buf);
  ops::write_stream_record(r, stream, 7, "us-east-1", w);
  rapidjson::Document d;
  d.Parse(buf.GetString());
  EXPECT_STREQ(d["eventName"].GetString(), "REMOVE");
  EXPECT_STREQ(d["eventVersion"].GetString(), "1.1");
  EXPECT_STREQ(d["eventSource"].GetString(), "aws:dynamodb");
  EXPECT_STREQ(d["eventID"].GetString(), ops::stream_event_id(1, 7).c_str());
  EXPECT_EQ(d["dynamodb"]["ApproximateCreationDateTime"].GetInt64(), 1700000000);
  EXPECT_STREQ(d["dynamodb"]["SequenceNumber"].GetString(), "000000000000000000007");
  EXPECT_STREQ(d["dynamodb"]["StreamViewType"].GetString(), "NEW_AND_OLD_IMAGES");
  EXPECT_TRUE(d["dynamodb"].HasMember("OldImage"));
  EXPECT_FALSE(d["dynamodb"].HasMember("NewImage"));
  EXPECT_STREQ(d["userIdentity"]["Type"].GetString(), "Service");
  EXPECT_STREQ(d["userIdentity"]["PrincipalId"].GetString(), "dynamodb.amazonaws.com");
}

class StreamWriteSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = storage::test::fresh_test_dir("streams");
    table_ = open();
  }
  void TearDown() override {
    table_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<storage::Table> open() {
    auto schema = pk_table();
    StreamSchema stream;
    stream.number = 1;
    stream.label = "2026-01-01T00:00:00.000";
    stream.view = StreamSchema::View::kNewAndOldImages;
    schema.streams.push_back(stream);
    return storage::test::open_rocksdb_table(schema, dir_);
  }
  std::vector<uint64_t> records() {
    std::vector<uint64_t> out;
    table_->read_stream(1, 0, ~uint64_t{0}, [&](uint64_t seq, std::string_view) {
      out.push_back(seq);
      return true;
    });
    return out;
  }
  void put(const std::string& pk, const std::string& a) {
    storage::WriteSet set;
    set.stage(*table_, storage::test::pk_key(pk),
              storage::test::put_mutation({{"pk", S(pk)}, {"a", S(a)}}));
    set.commit();
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Table> table_;
};

TEST_F(StreamWriteSetTest, TheRecordCommitsWithTheItem) {
  storage::WriteSet set;
  set.stage(*table_, storage::test::pk_key("p"),
            storage::test::put_mutation({{"pk", S("p")}}));
  EXPECT_TRUE(records().empty());
  set.commit();
  EXPECT_EQ(records().size(), 1u);
}

TEST_F(StreamWriteSetTest, ADroppedSetWritesNoRecordAndHoldsNoReader) {
  {
    storage::WriteSet set;
    set.stage(*table_, storage::test::pk_key("p"),
              storage::test::put_mutation({{"pk", S("p")}}));
  }
  put("q", "1");
  EXPECT_EQ(records(), (std::vector<uint64_t>{2}));
}

TEST_F(StreamWriteSetTest, AnUnchangedPutHasNoRecord) {
  put("p", "1");
  put("p", "1");
  put("p", "2");
  EXPECT_EQ(records().size(), 2u);
}

TEST_F(StreamWriteSetTest, NumbersGoOnAfterReopen) {
  put("p", "1");
  put("p", "2");
  table_.reset();
  table_ = open();
  put("p", "3");
  EXPECT_EQ(records(), (std::vector<uint64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace jormun

namespace jormun {
namespace {

TEST(StreamRecordCodec, AGroupRoundTrips) {
  const Item v1{{"pk", S("p")}};
  auto r = *storage::make_stream_record(pk_table(), StreamSchema::View::kNewImage, nullptr,
                                        &v1, false, 1);
  EXPECT_FALSE(storage::decode_stream_record(storage::encode_stream_record(r)).group);
  r.group = StreamRecord::Group{7, 3};
  StreamRecord back = storage::decode_stream_record(storage::encode_stream_record(r));
  ASSERT_TRUE(back.group);
  EXPECT_EQ(*back.group, (StreamRecord::Group{7, 3}));
  EXPECT_EQ(back.new_image, r.new_image);
  r.transaction = StreamRecord::Transaction{99, 2, {}};
  // Without parts the bytes are those written before parts were kept
  // (flags: grouped, in a transaction), and decode as they did.
  const std::string older = storage::encode_stream_record(r);
  EXPECT_EQ(static_cast<uint8_t>(older[2]), 2 | 4);
  back = storage::decode_stream_record(older);
  EXPECT_EQ(back.transaction, r.transaction);
  EXPECT_EQ(back.group, r.group);
  r.transaction->parts = {{"table-a", 7}, {"table-b", 12}};
  const std::string with_parts = storage::encode_stream_record(r);
  back = storage::decode_stream_record(with_parts);
  EXPECT_EQ(back.transaction, r.transaction);
  EXPECT_EQ(back.new_image, r.new_image);
  EXPECT_THROW(storage::decode_stream_record(with_parts.substr(0, with_parts.size() - 3)),
               std::runtime_error);
}

// A primary's replication log: every write of a table logs its change,
// and the records one set commits to the table carry their group.
class ReplicationLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = storage::test::fresh_test_dir("replication-log");
    table_ = storage::test::open_rocksdb_table(pk_table(), dir_);
  }
  void TearDown() override {
    table_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::vector<std::pair<uint64_t, StreamRecord>> log() {
    std::vector<std::pair<uint64_t, StreamRecord>> out;
    table_->read_stream(storage::kChangeLogStream, 0, ~uint64_t{0},
                        [&](uint64_t seq, std::string_view v) {
                          out.emplace_back(seq, storage::decode_stream_record(v));
                          return true;
                        });
    return out;
  }
  void put_all(const std::vector<std::string>& pks) {
    std::vector<std::string> keys;
    for (const auto& pk : pks) keys.push_back(storage::test::pk_key(pk));
    std::vector<size_t> order(pks.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return storage::LockManager::stripe(keys[a]) < storage::LockManager::stripe(keys[b]);
    });
    storage::WriteSet set;
    for (size_t i : order)
      set.stage(*table_, keys[i], storage::test::put_mutation({{"pk", S(pks[i])}}));
    set.commit();
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Table> table_;
};

TEST_F(ReplicationLogTest, OnlyATableToldToLogsWithoutPitr) {
  put_all({"a"});
  EXPECT_TRUE(log().empty());
  table_->log_every_change(nullptr);
  put_all({"b"});
  EXPECT_EQ(log().size(), 1u);
}

TEST_F(ReplicationLogTest, ASetsRecordsCarryTheirGroup) {
  table_->log_every_change(nullptr);
  put_all({"a"});
  put_all({"b", "c", "d"});
  auto records = log();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_FALSE(records[0].second.group);
  for (size_t i = 1; i < 4; ++i) {
    ASSERT_TRUE(records[i].second.group);
    EXPECT_EQ(*records[i].second.group, (StreamRecord::Group{records[1].first, 3}));
  }
}

TEST_F(ReplicationLogTest, ASetOverTwoTablesMarksItsPartsAsOneTransaction) {
  auto other_dir = dir_ / "other";
  storage::TableSchema other_schema = storage::test::pk_schema("u", false);
  other_schema.id = "u-id";
  auto other = storage::test::open_rocksdb_table(other_schema, other_dir);
  table_->log_every_change(nullptr);
  other->log_every_change(nullptr);
  storage::TransactionLog tlog(
      dir_.string(), [](const std::set<std::string>&) {},
      [](uint64_t, const std::set<std::string>&) {});
  {
    storage::WriteSet set(&tlog);
    set.stage(*table_, storage::test::pk_key("a"),
              storage::test::put_mutation({{"pk", S("a")}}));
    set.stage(*other, storage::test::pk_key("b"),
              storage::test::put_mutation({{"pk", S("b")}}));
    set.commit();
  }
  auto mine = log();
  std::vector<StreamRecord> theirs;
  other->read_stream(storage::kChangeLogStream, 0, ~uint64_t{0},
                     [&](uint64_t, std::string_view v) {
                       theirs.push_back(storage::decode_stream_record(v));
                       return true;
                     });
  ASSERT_EQ(mine.size(), 1u);
  ASSERT_EQ(theirs.size(), 1u);
  ASSERT_TRUE(mine[0].second.transaction && theirs[0].transaction);
  EXPECT_EQ(mine[0].second.transaction->tables, 2u);
  EXPECT_EQ(mine[0].second.transaction, theirs[0].transaction);
  EXPECT_EQ(mine[0].second.group, (StreamRecord::Group{mine[0].first, 1}));
  // Each part names every table's part, so a replica knows which its copies hold.
  std::vector<StreamRecord::Transaction::Part> parts{
      {table_->schema().id, mine[0].first}, {other->schema().id, 0}};
  other->read_stream(storage::kChangeLogStream, 0, ~uint64_t{0},
                     [&](uint64_t seq, std::string_view) {
                       parts[1].first = seq;
                       return true;
                     });
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
    return a.table_id < b.table_id;
  });
  auto named = mine[0].second.transaction->parts;
  std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) {
    return a.table_id < b.table_id;
  });
  EXPECT_EQ(named, parts);
  // A part of several records names them on its first record only.
  {
    std::vector<std::pair<std::string, std::string>> keys{
        {storage::test::pk_key("d"), "d"}, {storage::test::pk_key("e"), "e"}};
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
      return storage::LockManager::stripe(a.first) < storage::LockManager::stripe(b.first);
    });
    storage::WriteSet set(&tlog);
    for (const auto& [key, pk] : keys)
      set.stage(*table_, key, storage::test::put_mutation({{"pk", S(pk)}}));
    set.stage(*other, storage::test::pk_key("f"),
              storage::test::put_mutation({{"pk", S("f")}}));
    set.commit();
  }
  auto two = log();
  ASSERT_EQ(two.size(), 3u);
  ASSERT_TRUE(two[1].second.transaction && two[2].second.transaction);
  EXPECT_EQ(two[1].second.transaction->parts.size(), 2u);
  EXPECT_TRUE(two[2].second.transaction->parts.empty());
  EXPECT_EQ(two[1].second.transaction->id, two[2].second.transaction->id);
  put_all({"c"});  // a set of one table is no transaction
  EXPECT_FALSE(log().back().second.transaction);
}

// The parts are the replicas' business: a user stream's record of the same
// set carries neither group nor transaction (GetRecords shows none of it).
TEST_F(ReplicationLogTest, AUserStreamsRecordsCarryNoTransaction) {
  storage::TableSchema schema = storage::test::pk_schema("s", false);
  StreamSchema stream;
  stream.number = 1;
  stream.label = "2026-01-01T00:00:00.000";
  stream.view = StreamSchema::View::kNewAndOldImages;
  schema.streams.push_back(stream);
  auto streamed = storage::test::open_rocksdb_table(schema, dir_ / "s");
  auto other = storage::test::open_rocksdb_table(storage::test::pk_schema("u", false),
                                                 dir_ / "u");
  streamed->log_every_change(nullptr);
  other->log_every_change(nullptr);
  storage::TransactionLog tlog(
      dir_.string(), [](const std::set<std::string>&) {},
      [](uint64_t, const std::set<std::string>&) {});
  {
    storage::WriteSet set(&tlog);
    set.stage(*streamed, storage::test::pk_key("a"),
              storage::test::put_mutation({{"pk", S("a")}}));
    set.stage(*other, storage::test::pk_key("b"),
              storage::test::put_mutation({{"pk", S("b")}}));
    set.commit();
  }
  auto read = [&](uint64_t number) {
    std::vector<StreamRecord> out;
    streamed->read_stream(number, 0, ~uint64_t{0}, [&](uint64_t, std::string_view v) {
      out.push_back(storage::decode_stream_record(v));
      return true;
    });
    return out;
  };
  const auto user = read(1);
  ASSERT_EQ(user.size(), 1u);
  EXPECT_FALSE(user[0].group);
  EXPECT_FALSE(user[0].transaction);
  const auto logged = read(storage::kChangeLogStream);
  ASSERT_EQ(logged.size(), 1u);
  ASSERT_TRUE(logged[0].transaction);
  EXPECT_EQ(logged[0].transaction->parts.size(), 2u);
}

TEST_F(ReplicationLogTest, AReplicaPositionCommitsWithItsChanges) {
  EXPECT_FALSE(table_->replica_position());
  {
    storage::WriteSet set;
    set.stage(*table_, storage::test::pk_key("a"),
              storage::test::put_mutation({{"pk", S("a")}}));
    set.stage_replica_position(*table_, 42);
    // Not committed: not recorded.
  }
  EXPECT_FALSE(table_->replica_position());
  storage::WriteSet set;
  set.stage_replica_position(*table_, 43);  // no item staged: the gate alone
  set.commit();
  EXPECT_EQ(table_->replica_position(), 43u);
}

TEST_F(ReplicationLogTest, ASynchronousWriteWaitsForAFollower) {
  storage::ReplicationSync sync(std::chrono::milliseconds(50));
  table_->log_every_change(&sync);
  EXPECT_THROW(put_all({"a"}), ApiError);  // no follower: 500, applied all the same
  EXPECT_EQ(log().size(), 1u);
  sync.applied(table_->schema().id, log().back().first + 2);
  EXPECT_NO_THROW(put_all({"b"}));
}

}  // namespace
}  // namespace jormun
