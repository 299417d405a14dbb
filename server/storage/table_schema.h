// What the catalog records about a table: its DynamoDB description and the
// engine it lives on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/attribute_value.h"

namespace jormun::storage {

struct KeyAttribute {
  std::string name;
  model::Type type;  // S, N or B
};

struct TableSchema {
  std::string name;
  std::string id;              // a UUID, as DynamoDB's TableId
  double creation_time = 0;    // seconds since the epoch
  KeyAttribute partition_key;
  std::optional<KeyAttribute> sort_key;
  // AttributeDefinitions as given (order kept for DescribeTable).
  std::vector<KeyAttribute> attribute_definitions;
  std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
  int64_t read_capacity = 0;
  int64_t write_capacity = 0;
  // The engine the table was created on; kept even if the config changes.
  std::string engine;
  std::string plugin;
  std::vector<std::pair<std::string, std::string>> engine_options;
};

}  // namespace jormun::storage
