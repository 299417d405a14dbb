#include "workloads.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>
#include <tuple>
#include <vector>

#include "preload.h"

namespace jormun::bench {
namespace {

// Builds DynamoDB answers out of the benchmark's own requests: the item in a
// PutItem body is exactly what a correct server returns for it.
class WorkloadsTest : public ::testing::Test {
 protected:
  WorkloadsTest() : items_(200, 1), session_(items_, 9) {}

  std::string item_json(TableShape shape, uint64_t index) {
    RequestBuilder put(items_);
    put.put_item("t", shape, index);
    rapidjson::Document doc;
    doc.Parse(put.body().c_str());
    return to_text(doc["Item"]);
  }

  // {"<key>":<json>}; built with += because GCC 12 warns falsely (-Wrestrict)
  // on a literal + std::string.
  static std::string object_of(const char* key, const std::string& json) {
    std::string text = "{\"";
    text += key;
    text += "\":";
    text += json;
    text += '}';
    return text;
  }

  static std::string to_text(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
    return buffer.GetString();
  }

  Verdict judge(Workload& w, const std::string& answer) {
    rapidjson::Document doc;
    doc.Parse(answer.c_str());
    return w.judge(session_, doc);
  }

  ItemSet items_;
  Session session_;
  WorkloadSettings settings_{.tables = {"t"}, .keys = 100, .items = &items_};
};

TEST_F(WorkloadsTest, GetAcceptsTheWrittenItemOnly) {
  auto get = make_workload("get", settings_);
  ASSERT_TRUE(get->begin(session_));
  EXPECT_EQ(session_.op, Operation::GetItem);
  const uint64_t index = session_.index;
  EXPECT_EQ(judge(*get, object_of("Item", item_json(TableShape::kv, index))),
            Verdict::done);
  EXPECT_EQ(judge(*get, "{}"), Verdict::wrong);
  EXPECT_EQ(judge(*get, object_of("Item", item_json(TableShape::kv, (index + 1) % 100))),
            Verdict::wrong);
  ItemSet other_seed(200, 2);
  RequestBuilder put(other_seed);
  put.put_item("t", TableShape::kv, index);
  rapidjson::Document doc;
  doc.Parse(put.body().c_str());
  EXPECT_EQ(judge(*get, object_of("Item", to_text(doc["Item"]))), Verdict::wrong);
}

TEST_F(WorkloadsTest, QueryWantsAllTenItemsInOrder) {
  auto query = make_workload("query", settings_);
  ASSERT_TRUE(query->begin(session_));
  EXPECT_EQ(session_.op, Operation::Query);
  const uint64_t first = session_.index * kItemsPerPartition;
  std::string all = "[";
  for (uint64_t i = 0; i < kItemsPerPartition; ++i) {
    if (i) all += ',';
    all += item_json(TableShape::ranged, first + i);
  }
  all += ']';
  EXPECT_EQ(judge(*query, object_of("Items", all)), Verdict::done);
  std::string one = "[";
  one += item_json(TableShape::ranged, first);
  one += ']';
  EXPECT_EQ(judge(*query, object_of("Items", one)), Verdict::wrong);
}

TEST_F(WorkloadsTest, BatchWriteResendsUnprocessedItems) {
  auto write = make_workload("batch-write", settings_);
  ASSERT_TRUE(write->begin(session_));
  EXPECT_EQ(session_.batch.size(), 25u);
  EXPECT_EQ(judge(*write, "{\"UnprocessedItems\":{}}"), Verdict::done);
  const std::string left = object_of(
      "t", '[' +
               object_of("PutRequest", object_of("Item", item_json(TableShape::kv, 3))) +
               ']');
  EXPECT_EQ(judge(*write, object_of("UnprocessedItems", left)), Verdict::again);
  EXPECT_EQ(session_.request.body(), object_of("RequestItems", left));
}

TEST_F(WorkloadsTest, UpdateWantsAPositiveCounterBack) {
  auto update = make_workload("update", settings_);
  ASSERT_TRUE(update->begin(session_));
  EXPECT_EQ(judge(*update, R"({"Attributes":{"n":{"N":"3"}}})"), Verdict::done);
  EXPECT_EQ(judge(*update, R"({"Attributes":{}})"), Verdict::wrong);
}

TEST_F(WorkloadsTest, TransactWritePutsDistinctItemsOverTheTablesInTurn) {
  for (auto [name, count, tables] :
       {std::tuple{"transact-write-2", 2u, std::vector<std::string>{"t"}},
        std::tuple{"transact-write-10", 10u, std::vector<std::string>{"a", "b", "c"}}}) {
    settings_.tables = tables;
    auto write = make_workload(name, settings_);
    ASSERT_TRUE(write->begin(session_));
    EXPECT_EQ(session_.op, Operation::TransactWriteItems);
    rapidjson::Document doc;
    doc.Parse(session_.request.body().c_str());
    ASSERT_TRUE(doc.IsObject() && doc["TransactItems"].IsArray());
    const auto& actions = doc["TransactItems"];
    ASSERT_EQ(actions.Size(), count);
    std::set<std::string> keys;
    for (rapidjson::SizeType i = 0; i < count; ++i) {
      const auto& put = actions[i]["Put"];
      EXPECT_EQ(put["TableName"].GetString(), tables[i % tables.size()]);
      EXPECT_EQ(to_text(put["Item"]), item_json(TableShape::kv, session_.batch[i]));
      keys.insert(put["Item"]["pk"]["S"].GetString());
    }
    EXPECT_EQ(keys.size(), count);
    EXPECT_EQ(judge(*write, "{}"), Verdict::done);
    EXPECT_EQ(judge(*write, R"({"UnprocessedItems":{}})"), Verdict::wrong);
    EXPECT_EQ(judge(*write, "[]"), Verdict::wrong);
  }
}

TEST_F(WorkloadsTest, TransactGetWantsEveryItemInTheOrderAsked) {
  settings_.tables = {"a", "b", "c"};
  auto get = make_workload("transact-get-10", settings_);
  ASSERT_TRUE(get->begin(session_));
  EXPECT_EQ(session_.op, Operation::TransactGetItems);
  rapidjson::Document doc;
  doc.Parse(session_.request.body().c_str());
  const auto& actions = doc["TransactItems"];
  ASSERT_EQ(actions.Size(), 10u);
  EXPECT_STREQ(actions[4]["Get"]["TableName"].GetString(), "b");
  EXPECT_EQ(to_text(actions[4]["Get"]["Key"]),
            R"({"pk":{"S":")" + std::string(ItemSet::partition_key(
                                    TableShape::kv, session_.batch[4])) +
                R"("}})");

  auto responses = [&](std::vector<uint64_t> indexes) {
    std::string text = "[";
    for (uint64_t index : indexes) {
      if (text.size() > 1) text += ',';
      text += object_of("Item", item_json(TableShape::kv, index));
    }
    text += ']';
    return object_of("Responses", text);
  };
  std::vector<uint64_t> asked = session_.batch;
  EXPECT_EQ(judge(*get, responses(asked)), Verdict::done);
  std::swap(asked[0], asked[1]);
  EXPECT_EQ(judge(*get, responses(asked)), Verdict::wrong);
  asked.pop_back();
  std::swap(asked[0], asked[1]);
  EXPECT_EQ(judge(*get, responses(asked)), Verdict::wrong);
  std::string missing = responses(session_.batch);
  missing.replace(missing.find("{\"Item\""), 0, "{},");
  missing.erase(missing.rfind(",{\"Item\""));
  missing += "]}";
  EXPECT_EQ(judge(*get, missing), Verdict::wrong);
}

TEST_F(WorkloadsTest, PreloadFallsBackToPutItem) {
  Preload preload("t", TableShape::kv, 30, 200);
  ASSERT_TRUE(preload.begin(session_));
  EXPECT_EQ(session_.op, Operation::BatchWriteItem);
  ASSERT_TRUE(preload.fall_back(session_));
  size_t puts = 1;
  while (judge(preload, "{}") == Verdict::again) ++puts;
  EXPECT_EQ(puts, 25u);
  ASSERT_TRUE(preload.begin(session_));  // the last 5 items, one by one
  EXPECT_EQ(session_.op, Operation::PutItem);
  EXPECT_EQ(session_.batch.size(), 5u);
  EXPECT_FALSE(preload.begin(session_));
}

}  // namespace
}  // namespace jormun::bench
