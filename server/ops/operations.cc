#include <string_view>
#include <unordered_map>

#include "ops/context.h"
#include "ops/batch_ops.h"
#include "ops/item_ops.h"
#include "ops/query_scan.h"
#include "ops/table_ops.h"
#include "ops/update_item.h"
#include "ops/update_table.h"

namespace jormun::ops {

Operation find_operation(std::string_view name) {
  static const std::unordered_map<std::string_view, Operation> kOperations = {
      {"CreateTable", &create_table},   {"DeleteTable", &delete_table},
      {"DescribeTable", &describe_table}, {"ListTables", &list_tables},
      {"PutItem", &put_item},           {"GetItem", &get_item},
      {"DeleteItem", &delete_item},     {"UpdateItem", &update_item},
      {"Query", &query},                {"Scan", &scan},
      {"BatchGetItem", &batch_get_item}, {"BatchWriteItem", &batch_write_item},
      {"UpdateTable", &update_table},
  };
  auto it = kOperations.find(name);
  return it == kOperations.end() ? nullptr : it->second;
}

}  // namespace jormun::ops
