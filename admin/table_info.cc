#include "admin/table_info.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "client/client.h"
#include "admin/json_text.h"

namespace jormun::admin {

using client::ApiFailure;
namespace {

std::string string_member(const rapidjson::Value& v, const char* name) {
  auto m = v.FindMember(name);
  return m != v.MemberEnd() && m->value.IsString() ? m->value.GetString() : "";
}

long long integer_member(const rapidjson::Value& v, const char* name) {
  auto m = v.FindMember(name);
  return m != v.MemberEnd() && m->value.IsInt64() ? m->value.GetInt64() : 0;
}

// The KeySchema of a table or index, with types from AttributeDefinitions.
void read_key_schema(const rapidjson::Value& owner, const rapidjson::Value& definitions,
                     const std::string& what, KeyPart& hash, std::optional<KeyPart>& range) {
  auto schema = owner.FindMember("KeySchema");
  if (schema == owner.MemberEnd() || !schema->value.IsArray())
    throw std::runtime_error(what + ": no KeySchema");
  for (const auto& element : schema->value.GetArray()) {
    if (!element.IsObject()) throw std::runtime_error(what + ": bad KeySchema element");
    KeyPart part{string_member(element, "AttributeName"), ""};
    if (definitions.IsArray())
      for (const auto& d : definitions.GetArray())
        if (d.IsObject() && string_member(d, "AttributeName") == part.name)
          part.type = string_member(d, "AttributeType");
    if (part.type.empty())
      throw std::runtime_error(what + ": key attribute '" + part.name +
                               "' has no AttributeDefinitions entry");
    const std::string key_type = string_member(element, "KeyType");
    if (key_type == "HASH") {
      hash = part;
    } else if (key_type == "RANGE") {
      range = part;
    } else {
      throw std::runtime_error(what + ": KeyType must be HASH or RANGE");
    }
  }
  if (hash.name.empty()) throw std::runtime_error(what + ": no HASH key");
}

void read_indexes(const rapidjson::Value& description, const rapidjson::Value& definitions,
                  const char* member, bool global, std::vector<IndexInfo>& out) {
  auto list = description.FindMember(member);
  if (list == description.MemberEnd() || !list->value.IsArray()) return;
  for (const auto& ix : list->value.GetArray()) {
    if (!ix.IsObject()) continue;
    IndexInfo info;
    info.name = string_member(ix, "IndexName");
    info.global = global;
    if (auto status = string_member(ix, "IndexStatus"); !status.empty()) info.status = status;
    read_key_schema(ix, definitions, "index " + info.name, info.hash, info.range);
    if (auto p = ix.FindMember("Projection"); p != ix.MemberEnd() && p->value.IsObject()) {
      if (auto type = string_member(p->value, "ProjectionType"); !type.empty())
        info.projection = type;
      if (auto nk = p->value.FindMember("NonKeyAttributes");
          nk != p->value.MemberEnd() && nk->value.IsArray())
        for (const auto& a : nk->value.GetArray())
          if (a.IsString()) info.non_key_attributes.emplace_back(a.GetString());
    }
    info.item_count = integer_member(ix, "ItemCount");
    info.size_bytes = integer_member(ix, "IndexSizeBytes");
    out.push_back(std::move(info));
  }
}

}  // namespace

TableInfo table_info_from_json(const rapidjson::Value& description) {
  if (!description.IsObject()) throw std::runtime_error("the table description is not an object");
  TableInfo info;
  info.name = string_member(description, "TableName");
  info.status = string_member(description, "TableStatus");
  static const rapidjson::Value kNone;
  auto defs = description.FindMember("AttributeDefinitions");
  const rapidjson::Value& definitions =
      defs != description.MemberEnd() ? defs->value : kNone;
  read_key_schema(description, definitions, "table " + info.name, info.hash, info.range);
  read_indexes(description, definitions, "GlobalSecondaryIndexes", true, info.indexes);
  read_indexes(description, definitions, "LocalSecondaryIndexes", false, info.indexes);
  info.item_count = integer_member(description, "ItemCount");
  info.size_bytes = integer_member(description, "TableSizeBytes");
  return info;
}

std::optional<TableInfo> describe_table(Client& client, const std::string& table) {
  try {
    rapidjson::Document answer =
        client.call("DescribeTable", "{\"TableName\":" + json_string(table) + "}");
    auto t = answer.FindMember("Table");
    if (t == answer.MemberEnd()) throw std::runtime_error("DescribeTable: no Table in the answer");
    return table_info_from_json(t->value);
  } catch (const ApiFailure& e) {
    if (e.type() == "ResourceNotFoundException") return std::nullopt;
    throw;
  }
}

TableInfo wait_until_active(Client& client, const std::string& table, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    std::optional<TableInfo> info = describe_table(client, table);
    bool active = info && info->status == "ACTIVE";
    if (active)
      for (const auto& ix : info->indexes) active = active && ix.status == "ACTIVE";
    if (active) return *info;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("table " + table + " is not ACTIVE after " +
                               std::to_string(seconds) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace jormun::admin
