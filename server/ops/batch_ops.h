// BatchGetItem and BatchWriteItem.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void batch_get_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void batch_write_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
