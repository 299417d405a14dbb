// The TableDescription object that CreateTable, DescribeTable and
// DeleteTable answer with.
#pragma once

#include <functional>

#include <optional>
#include <string_view>

#include "model/attribute_json.h"
#include "storage/table.h"

namespace jormun::ops {

// The table's ARN in `region`, with DynamoDB Local's account id.
std::string table_arn(std::string_view region, std::string_view table);

// The members "KeySchema" and "Projection" (of an index), as every
// description writes them.
void write_key_schema(const storage::KeyAttribute& partition_key,
                      const std::optional<storage::KeyAttribute>& sort_key,
                      model::JsonWriter& w);
// An index's, every HASH attribute then every RANGE one (multi-attribute keys).
void write_key_schema(const storage::IndexSchema& index, model::JsonWriter& w);
void write_projection(const storage::IndexSchema& index, model::JsonWriter& w);

// The TableDescription object; `more` writes members of JormunDB's own at
// its end (a read replica's JormunReplication).
void write_table_description(const storage::TableSchema& schema,
                             const storage::Table::Stats& stats, std::string_view status,
                             std::string_view region, model::JsonWriter& w,
                             const std::function<void(model::JsonWriter&)>& more = {});

}  // namespace jormun::ops
