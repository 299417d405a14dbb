// What jormun-admin needs to know of a table, read from DescribeTable's
// answer or from a CreateTable request (--schema): its keys, the types of its
// key attributes, and its indexes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace jormun::client {
class Client;
}

namespace jormun::admin {

using client::Client;

struct KeyPart {
  std::string name;
  std::string type;  // "S", "N" or "B"
};

struct IndexInfo {
  std::string name;
  bool global = true;
  std::string status = "ACTIVE";
  KeyPart hash;
  std::optional<KeyPart> range;
  std::string projection = "ALL";  // ALL, KEYS_ONLY or INCLUDE
  std::vector<std::string> non_key_attributes;
  long long item_count = 0;
  long long size_bytes = 0;
};

struct TableInfo {
  std::string name;
  std::string status;
  KeyPart hash;
  std::optional<KeyPart> range;
  std::vector<IndexInfo> indexes;
  long long item_count = 0;
  long long size_bytes = 0;
};

// From a TableDescription (DescribeTable's "Table") or a CreateTable
// request: both name the members alike. Throws std::runtime_error when the
// key schema is missing or names an attribute without a definition.
TableInfo table_info_from_json(const rapidjson::Value& description);

// DescribeTable; std::nullopt when the table does not exist.
std::optional<TableInfo> describe_table(Client& client, const std::string& table);

// Polls DescribeTable until the table and its indexes are ACTIVE. Throws
// std::runtime_error after `seconds`.
TableInfo wait_until_active(Client& client, const std::string& table, int seconds);

}  // namespace jormun::admin
