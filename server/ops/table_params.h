// Request members shared by CreateTable and UpdateTable: attribute
// definitions, key schemas, provisioned throughput and secondary index
// definitions, read in DynamoDB's member-validation phase (violations go to
// the Params), plus the key schema rules DynamoDB applies afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/params.h"
#include "storage/table_schema.h"

namespace jormun::ops {

inline constexpr int64_t kMaxCapacity = 1000000000000;  // DynamoDB's bound

struct KeyElement {
  std::string name;
  std::string key_type;  // HASH or RANGE as given (validated later)
};

struct Throughput {
  int64_t read = 0;
  int64_t write = 0;
};

// A LocalSecondaryIndex, GlobalSecondaryIndex or GSI Create as given.
struct IndexDefinition {
  std::string name;
  std::vector<KeyElement> keys;
  std::optional<std::string> projection_type;
  std::optional<std::vector<std::string>> non_key_attributes;
  std::optional<Throughput> throughput;  // GSIs only
};

// AttributeDefinitions (top-level member), only the valid ones.
std::vector<storage::KeyAttribute> read_attribute_definitions(Params& p);
// A KeySchema list at `path` ("keySchema", "globalSecondaryIndexes.1.member.keySchema").
// DynamoDB checks KeyType against HASH/RANGE here only for the table's own
// KeySchema (`check_key_type`); an index's bad KeyType fails a later rule.
// At most two elements, except with `multi_attribute` (a GSI's KeySchema,
// whose up to four HASH and four RANGE attributes check_index_definition
// counts).
std::vector<KeyElement> read_key_schema(Params& p, const rapidjson::Value* list,
                                        const std::string& path, bool check_key_type,
                                        bool multi_attribute = false);
// A ProvisionedThroughput structure at `path`; nullopt when absent.
std::optional<Throughput> read_throughput(Params& p, const rapidjson::Value* pt,
                                          const std::string& path);
// One index definition at `path` ("globalSecondaryIndexes.1.member").
IndexDefinition read_index_definition(Params& p, const rapidjson::Value& v,
                                      const std::string& path, bool global);

// The LocalSecondaryIndexes or GlobalSecondaryIndexes member; nullopt when
// absent.
std::optional<std::vector<IndexDefinition>> read_index_list(Params& p, const char* member,
                                                            bool global);

// ", "-joined names, as DynamoDB lists them in messages.
std::string join(const std::vector<std::string>& names);

}  // namespace jormun::ops
