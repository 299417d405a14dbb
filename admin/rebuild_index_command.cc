// jormun-admin rebuild-index TABLE INDEX: drops a global secondary index and
// creates it again with the same definition, through UpdateTable, so the
// server backfills it from the items. The index answers no query meanwhile,
// as in DynamoDB while an index is created.
#include <chrono>
#include <cstdio>
#include <thread>

#include "admin/commands.h"
#include "admin/interrupt.h"
#include "admin/json_text.h"
#include "admin/progress.h"
#include "admin/table_info.h"

namespace jormun::admin {
namespace {

const rapidjson::Value* find_named(const rapidjson::Value& table, const char* member,
                                   const std::string& name) {
  auto list = table.FindMember(member);
  if (list == table.MemberEnd() || !list->value.IsArray()) return nullptr;
  for (const auto& ix : list->value.GetArray())
    if (ix.IsObject() && ix.HasMember("IndexName") && ix["IndexName"].IsString() &&
        name == ix["IndexName"].GetString())
      return &ix;
  return nullptr;
}

// The UpdateTable request that creates `index` (a GlobalSecondaryIndexes
// element of DescribeTable) again: its keys, projection and, on a
// provisioned table, its capacity.
std::string create_request(const std::string& table, const rapidjson::Value& description,
                           const rapidjson::Value& index) {
  std::string definitions;
  for (const auto& key : index["KeySchema"].GetArray())
    for (const auto& d : description["AttributeDefinitions"].GetArray())
      if (d["AttributeName"] == key["AttributeName"])
        definitions += (definitions.empty() ? "" : ",") + json_text(d);
  std::string create = "{\"IndexName\":" + json_text(index["IndexName"]) +
                       ",\"KeySchema\":" + json_text(index["KeySchema"]) +
                       ",\"Projection\":" + json_text(index["Projection"]);
  auto billing = description.FindMember("BillingModeSummary");
  const bool on_demand = billing != description.MemberEnd() &&
                         billing->value.HasMember("BillingMode") &&
                         billing->value["BillingMode"] == "PAY_PER_REQUEST";
  if (auto pt = index.FindMember("ProvisionedThroughput"); !on_demand && pt != index.MemberEnd())
    create += ",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":" +
              json_text(pt->value["ReadCapacityUnits"]) + ",\"WriteCapacityUnits\":" +
              json_text(pt->value["WriteCapacityUnits"]) + "}";
  create += "}";
  return "{\"TableName\":" + json_string(table) + ",\"AttributeDefinitions\":[" + definitions +
         "],\"GlobalSecondaryIndexUpdates\":[{\"Create\":" + create + "}]}";
}

rapidjson::Document describe(Client& client, const std::string& table) {
  rapidjson::Document answer =
      client.call("DescribeTable", "{\"TableName\":" + json_string(table) + "}");
  rapidjson::Document out;
  out.CopyFrom(answer["Table"], out.GetAllocator());
  return out;
}

}  // namespace

int run_rebuild_index(const CommonOptions& common, const RebuildIndexOptions& options) {
  const std::string& table = options.table;
  Client client(common.endpoint);
  if (!describe_table(client, table)) {
    std::fprintf(stderr, "jormun-admin rebuild-index: table %s does not exist\n", table.c_str());
    return 1;
  }
  rapidjson::Document description = describe(client, table);
  const rapidjson::Value* index =
      find_named(description, "GlobalSecondaryIndexes", options.index);
  if (index == nullptr) {
    const bool local =
        find_named(description, "LocalSecondaryIndexes", options.index) != nullptr;
    std::fprintf(stderr, "jormun-admin rebuild-index: %s\n",
                 local ? (options.index +
                          " is a local secondary index, which a table keeps from its "
                          "creation to its end: it cannot be dropped and built again")
                             .c_str()
                       : ("table " + table + " has no index " + options.index).c_str());
    return 1;
  }
  const std::string recreate = create_request(table, description, *index);
  // Printed before the drop: should anything stop us between the drop and
  // the create, this is the UpdateTable request that brings the index back.
  std::fprintf(stderr, "rebuilding index %s of %s; the request that creates it again:\n%s\n",
               options.index.c_str(), table.c_str(), recreate.c_str());
  client.call("UpdateTable", "{\"TableName\":" + json_string(table) +
                                 ",\"GlobalSecondaryIndexUpdates\":[{\"Delete\":{\"IndexName\":" +
                                 json_string(options.index) + "}}]}");
  // The API tells nothing of a backfill's progress but its end: no bar.
  const auto start = std::chrono::steady_clock::now();
  // No stop between the drop and the create: an interrupted rebuild would
  // leave the table without its index.
  while (find_named(description = describe(client, table), "GlobalSecondaryIndexes",
                    options.index) != nullptr)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  client.call("UpdateTable", recreate);
  for (;;) {
    description = describe(client, table);
    const rapidjson::Value* ix =
        find_named(description, "GlobalSecondaryIndexes", options.index);
    if (ix != nullptr && ix->HasMember("IndexStatus") && (*ix)["IndexStatus"] == "ACTIVE") break;
    if (interrupted()) {
      std::fprintf(stderr,
                   "jormun-admin rebuild-index: stopped waiting; the server goes on building "
                   "index %s, which answers queries once DescribeTable shows it ACTIVE\n",
                   options.index.c_str());
      return kInterruptedStatus;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!common.quiet)
    std::fprintf(stderr, "rebuilt index %s of %s in %s\n", options.index.c_str(),
                 table.c_str(),
                 format_duration(std::chrono::duration<double>(
                                     std::chrono::steady_clock::now() - start)
                                     .count())
                     .c_str());
  return 0;
}

}  // namespace jormun::admin
