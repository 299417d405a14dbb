// Query and Scan.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void query(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void scan(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
