// A read replica's pure pieces (server/replication/, ops/replica_rules.h):
// how a log answer is cut into units applied whole, how a copy's schema
// follows the primary's, and which requests a replica refuses.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <map>

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

// A part of transaction `id` in its table, as the primary records it: a
// group of one record naming every table's part.
LogEntry part(uint64_t sequence, const std::string& key, uint64_t id,
              std::vector<StreamRecord::Transaction::Part> parts) {
  LogEntry e = entry(sequence, key, StreamRecord::Group{sequence, 1});
  e.record.transaction = StreamRecord::Transaction{id, parts.size(), std::move(parts)};
  return e;
}

TableUnits units_of(std::vector<LogEntry> entries, uint64_t from, uint64_t next) {
  return {plan_units(std::move(entries), from, next), from};
}

// The steps as "table:first" of each unit, one string per commit.
std::vector<std::string> steps_of(const std::map<std::string, TableUnits>& tables,
                                  const Schedule& s) {
  std::vector<std::string> out;
  for (const Step& step : s.steps) {
    std::vector<std::string> units;
    for (const auto& [id, at] : step)
      units.push_back(id + ":" + std::to_string(tables.at(id).plan.units[at].first));
    std::sort(units.begin(), units.end());
    std::string text;
    for (const auto& u : units) text += (text.empty() ? "" : " ") + u;
    out.push_back(text);
  }
  return out;
}

TEST(ScheduleUnitsTest, ATransactionsPartsAreOneCommitAfterEachTablesEarlierUnits) {
  const std::vector<StreamRecord::Transaction::Part> parts{{"A", 5}, {"B", 9}};
  std::map<std::string, TableUnits> tables{
      {"A", units_of({entry(4, "a0"), part(5, "a", 1, parts), entry(6, "a1")}, 4, 7)},
      {"B", units_of({entry(8, "b0"), part(9, "b", 1, parts)}, 8, 10)}};
  const Schedule s = schedule_units(tables, {});
  EXPECT_EQ(steps_of(tables, s),
            (std::vector<std::string>{"A:4", "B:8", "A:5 B:9", "A:6"}));
  EXPECT_EQ(s.next, (std::map<std::string, uint64_t>{{"A", 7}, {"B", 10}}));
  EXPECT_TRUE(s.waiting.empty());
}

TEST(ScheduleUnitsTest, APartnerWhoseLogHasNotReachedItsPartHoldsTheTable) {
  const std::vector<StreamRecord::Transaction::Part> parts{{"A", 5}, {"B", 9}};
  // B's answer stopped before its part (a limit, or not visible yet).
  std::map<std::string, TableUnits> tables{
      {"A", units_of({part(5, "a", 1, parts), entry(6, "a1")}, 5, 7)},
      {"B", units_of({entry(8, "b0")}, 8, 9)}};
  const Schedule s = schedule_units(tables, {});
  EXPECT_EQ(steps_of(tables, s), std::vector<std::string>{"B:8"});
  // A stays at its part: nothing of it, nor after it, is applied.
  EXPECT_EQ(s.next, (std::map<std::string, uint64_t>{{"A", 5}, {"B", 9}}));
  EXPECT_EQ(s.waiting, (std::map<std::string, uint64_t>{{"A", 5}}));
  // Waited for too long, it goes alone.
  const Schedule late = schedule_units(tables, {{"A", 5}});
  EXPECT_EQ(steps_of(tables, late), (std::vector<std::string>{"A:5", "A:6", "B:8"}));
}

TEST(ScheduleUnitsTest, APartnerCopyAlreadyHoldingItsPartIsNotWaitedFor) {
  // B's copy came from a snapshot taken after the set: its position, 12, is
  // past B's part (9), and B's log will never bring the part again.
  const std::vector<StreamRecord::Transaction::Part> parts{{"A", 5}, {"B", 9}};
  std::map<std::string, TableUnits> tables{
      {"A", units_of({part(5, "a", 1, parts)}, 5, 6)}, {"B", units_of({}, 12, 12)}};
  const Schedule s = schedule_units(tables, {});
  EXPECT_EQ(steps_of(tables, s), std::vector<std::string>{"A:5"});
  EXPECT_TRUE(s.waiting.empty());
}

TEST(ScheduleUnitsTest, TablesNotFollowedAndRecordsWithoutPartsAreNotWaitedFor) {
  // C is not followed (dropped, or not copied yet).
  std::map<std::string, TableUnits> tables{
      {"A", units_of({part(5, "a", 1, {{"A", 5}, {"C", 3}})}, 5, 6)},
      {"B", units_of({entry(7, "b", StreamRecord::Group{7, 1})}, 7, 8)}};
  // A record of a set written before parts were kept: its transaction alone.
  tables["B"].plan.units[0].transaction = StreamRecord::Transaction{2, 2, {}};
  const Schedule s = schedule_units(tables, {});
  EXPECT_EQ(steps_of(tables, s), (std::vector<std::string>{"A:5", "B:7"}));
}

TEST(ScheduleUnitsTest, SetsOverOverlappingTablesGoInTheirOneOrder) {
  // Set 1 over A and B, then set 2 over B and C, then set 3 over C and A:
  // numbered in that order in every table.
  std::map<std::string, TableUnits> tables{
      {"A", units_of({part(1, "a", 1, {{"A", 1}, {"B", 1}}),
                      part(2, "a", 3, {{"C", 2}, {"A", 2}})}, 1, 3)},
      {"B", units_of({part(1, "b", 1, {{"A", 1}, {"B", 1}}),
                      part(2, "b", 2, {{"B", 2}, {"C", 1}})}, 1, 3)},
      {"C", units_of({part(1, "c", 2, {{"B", 2}, {"C", 1}}),
                      part(2, "c", 3, {{"C", 2}, {"A", 2}})}, 1, 3)}};
  const Schedule s = schedule_units(tables, {});
  EXPECT_EQ(steps_of(tables, s),
            (std::vector<std::string>{"A:1 B:1", "B:2 C:1", "A:2 C:2"}));
  EXPECT_EQ(s.next, (std::map<std::string, uint64_t>{{"A", 3}, {"B", 3}, {"C", 3}}));
}

TEST(LogUnitsTest, AUnitKeepsItsTransactionsParts) {
  const std::vector<StreamRecord::Transaction::Part> parts{{"A", 5}, {"B", 9}};
  LogEntry first = part(5, "a", 1, parts);
  first.record.group = StreamRecord::Group{5, 2};
  LogEntry second = entry(6, "b", StreamRecord::Group{5, 2});
  second.record.transaction = StreamRecord::Transaction{1, 2, {}};
  LogPlan plan = plan_units({second, first}, 5, 7);
  ASSERT_EQ(plan.units.size(), 1u);
  EXPECT_EQ(plan.units[0].first, 5u);
  ASSERT_TRUE(plan.units[0].transaction);
  EXPECT_EQ(plan.units[0].transaction->parts, parts);
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
