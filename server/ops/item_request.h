// Request members the single-item operations share.
#pragma once

#include <memory>
#include <string>

#include "model/attribute_json.h"
#include "ops/context.h"
#include "ops/params.h"

namespace jormun::ops {

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };

// The table for an item operation; ResourceNotFoundException as DynamoDB
// words it for item operations.
std::shared_ptr<storage::Table> require_item_table(Context& ctx, const std::string& name);

// ReturnValues, as a member constraint (the operation then says which values
// it allows).
ReturnValues read_return_values(Params& p);

// ReturnValuesOnConditionCheckFailure == ALL_OLD.
bool read_old_on_failure(Params& p);

// A required object member (Item, Key), as a member constraint.
const rapidjson::Value* required_object(Params& p, const char* member);

// Writes "Attributes": item, unless the item is empty.
void write_attributes(const model::Item& item, model::JsonWriter& out);

}  // namespace jormun::ops
