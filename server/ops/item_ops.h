// Single-item operations.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void put_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void get_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void delete_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
