// UpdateItem.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void update_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
