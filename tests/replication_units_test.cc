// A read replica's pure pieces (server/replication/, ops/replica_rules.h):
// how a log answer is cut into units applied whole, how a copy's schema
// follows the primary's, and which requests a replica refuses.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "ops/context.h"
#include "ops/replica_rules.h"
#include "replication/log_units.h"
#include "replication/replica_schema.h"

namespace jormun::replication {
namespace {

using storage::StreamRecord;

LogEntry entry(uint64_t sequence, const std::string& key,
               std::optional<StreamRecord::Group> group = std::nullopt) {
  LogEntry e;
  e.sequence = sequence;
  e.record.keys = model::Item{{"pk", model::AttributeValue(key)}};
  e.record.new_image = e.record.keys;
  e.record.group = group;
  return e;
}

std::vector<uint64_t> sequences(const LogUnit& u) {
  std::vector<uint64_t> out;
  for (const auto& e : u.entries) out.push_back(e.sequence);
  return out;
}

TEST(LogUnitsTest, LoneRecordsAreUnitsOfTheirOwnInOrder) {
  LogPlan plan = plan_units({entry(7, "b"), entry(5, "a")}, 5, 8);
  ASSERT_EQ(plan.units.size(), 2u);
  EXPECT_EQ(sequences(plan.units[0]), std::vector<uint64_t>{5});
  EXPECT_EQ(plan.units[0].next, 7u);
  EXPECT_EQ(plan.units[1].next, 8u);
  EXPECT_EQ(plan.next, 8u);
}

TEST(LogUnitsTest, AGroupIsOneUnitEvenWithOtherRecordsBetweenItsOwn) {
  const StreamRecord::Group g{10, 2};
  LogPlan plan =
      plan_units({entry(10, "a", g), entry(11, "c"), entry(12, "b", g)}, 10, 13);
  ASSERT_EQ(plan.units.size(), 2u);
  EXPECT_EQ(sequences(plan.units[0]), (std::vector<uint64_t>{10, 12}));
  // Position 11 after the group: change 11 is not applied yet.
  EXPECT_EQ(plan.units[0].next, 11u);
  EXPECT_EQ(sequences(plan.units[1]), std::vector<uint64_t>{11});
  EXPECT_EQ(plan.units[1].next, 13u);
}

TEST(LogUnitsTest, AGroupNotWholeIsLeftForTheNextAnswer) {
  const StreamRecord::Group g{11, 3};
  LogPlan plan =
      plan_units({entry(10, "a"), entry(11, "b", g), entry(12, "c", g)}, 10, 13);
  ASSERT_EQ(plan.units.size(), 1u);
  EXPECT_EQ(plan.units[0].next, 11u);
  EXPECT_EQ(plan.next, 11u);
}

TEST(LogUnitsTest, RecordsOfAGroupBegunBeforeThePositionWereAppliedWithIt) {
  const StreamRecord::Group g{9, 2};
  LogPlan plan = plan_units({entry(10, "x", g), entry(11, "a")}, 10, 12);
  ASSERT_EQ(plan.units.size(), 1u);
  EXPECT_EQ(sequences(plan.units[0]), std::vector<uint64_t>{11});
}

TEST(LogUnitsTest, AnItemChangedTwiceInAUnitKeepsItsLastChange) {
  const StreamRecord::Group g{3, 3};
  LogPlan plan = plan_units({entry(3, "a", g), entry(4, "b", g), entry(5, "a", g)}, 3, 6);
  ASSERT_EQ(plan.units.size(), 1u);
  EXPECT_EQ(sequences(plan.units[0]), (std::vector<uint64_t>{4, 5}));
}

storage::TableSchema table_with(std::vector<std::string> indexes) {
  storage::TableSchema s;
  s.name = "t";
  s.id = "id-1";
  s.partition_key = {"pk", model::Type::S};
  for (const auto& name : indexes) {
    storage::IndexSchema i;
    i.name = name;
    i.global = true;
    i.partition_key = {"g", model::Type::S};
    s.indexes.push_back(i);
  }
  return s;
}

TEST(ReplicaSchemaTest, ACopyKeepsTheIdAndTakesIndexesBeingBuiltAsActive) {
  storage::TableSchema primary = table_with({"a", "b", "c"});
  primary.indexes[1].state = storage::IndexSchema::State::kCreating;
  primary.indexes[2].state = storage::IndexSchema::State::kDeleting;
  primary.engine = "rocksdb";
  storage::TableSchema copy = replica_schema(primary);
  EXPECT_EQ(copy.id, "id-1");
  EXPECT_TRUE(copy.engine.empty());
  ASSERT_EQ(copy.indexes.size(), 2u);
  EXPECT_EQ(copy.indexes[1].state, storage::IndexSchema::State::kActive);
}

TEST(ReplicaSchemaTest, NewIndexesAreBackfilledAndGoneOnesDeleted) {
  storage::TableSchema local = table_with({"a", "old"});
  local.engine = "lmdb";
  EXPECT_FALSE(updated_replica_schema(local, [&] {
    auto p = table_with({"a", "old"});
    p.engine = "rocksdb";
    return p;
  }()));
  auto changed = updated_replica_schema(local, table_with({"a", "new"}));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->engine, "lmdb");
  ASSERT_EQ(changed->indexes.size(), 3u);
  EXPECT_EQ(changed->indexes[1].name, "new");
  EXPECT_EQ(changed->indexes[1].state, storage::IndexSchema::State::kCreating);
  EXPECT_EQ(changed->indexes[2].name, "old");
  EXPECT_EQ(changed->indexes[2].state, storage::IndexSchema::State::kDeleting);
}

TEST(ReplicaSchemaTest, SettingsFollowThePrimary) {
  storage::TableSchema local = table_with({});
  storage::TableSchema primary = table_with({});
  primary.ttl_attribute = "expires";
  primary.tags = {{"team", "x"}};
  auto changed = updated_replica_schema(local, primary);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->ttl_attribute, "expires");
  EXPECT_EQ(changed->tags, primary.tags);
}

}  // namespace
}  // namespace jormun::replication

namespace jormun::ops {
namespace {

bool refuses(OnReplica rule, const char* request) {
  rapidjson::Document doc;
  doc.Parse(request);
  const OperationSpec op{"X", nullptr, ItemWrites::kNone, rule};
  return replica_refuses(op, doc);
}

TEST(ReplicaRulesTest, WritesAndConsistentReadsGoToThePrimary) {
  EXPECT_TRUE(refuses(OnReplica::kPrimary, R"({"TableName":"t"})"));
  EXPECT_FALSE(refuses(OnReplica::kServe, R"({"TableName":"t"})"));
  EXPECT_FALSE(refuses(OnReplica::kServe, R"({"TableName":"t","ConsistentRead":false})"));
  EXPECT_TRUE(refuses(OnReplica::kServe, R"({"TableName":"t","ConsistentRead":true})"));
  EXPECT_TRUE(
      refuses(OnReplica::kServe,
              R"({"RequestItems":{"a":{"Keys":[]},"b":{"ConsistentRead":true}}})"));
  EXPECT_FALSE(refuses(OnReplica::kByStatement, R"({"Statement":"SELECT * FROM t"})"));
  EXPECT_TRUE(refuses(OnReplica::kByStatement,
                      R"({"Statement":"INSERT INTO t VALUE {'pk': 'a'}"})"));
  EXPECT_TRUE(refuses(OnReplica::kByStatement,
                      R"({"Statements":[{"Statement":"SELECT * FROM t"},)"
                      R"({"Statement":"DELETE FROM t WHERE pk = 'a'"}]})"));
}

TEST(ReplicaRulesTest, TheRefusalNamesThePrimary) {
  EXPECT_EQ(replica_refusal("http://p:8002"),
            "This server is a read replica of http://p:8002: send writes and strongly "
            "consistent reads to the primary");
}

}  // namespace
}  // namespace jormun::ops
