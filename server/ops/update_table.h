// UpdateTable: GlobalSecondaryIndexUpdates (Create, Delete, Update of
// throughput), BillingMode and ProvisionedThroughput.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void update_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
