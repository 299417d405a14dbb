// The TableDescription object that CreateTable, DescribeTable and
// DeleteTable answer with.
#pragma once

#include <string_view>

#include "model/attribute_json.h"
#include "storage/table.h"

namespace jormun::ops {

// The table's ARN in `region`, with DynamoDB Local's account id.
std::string table_arn(std::string_view region, std::string_view table);

void write_table_description(const storage::TableSchema& schema,
                             const storage::Table::Stats& stats, std::string_view status,
                             std::string_view region, model::JsonWriter& w);

}  // namespace jormun::ops
