// DescribeLimits and DescribeEndpoints: what the server tells a client about
// itself rather than about a table.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void describe_limits(Context& ctx, const rapidjson::Value& request,
                     model::JsonWriter& out);
void describe_endpoints(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out);

}  // namespace jormun::ops
