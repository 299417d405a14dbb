// Single-item operations.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void put_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void get_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void delete_item(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

// GetItem's answer members, written into an object the caller opened:
// "Item" (when found) and ConsumedCapacity (when asked for). With `as_list`
// the item is written as "Items": [item] ([] when not found), which is how
// PartiQL's SELECT of one key answers, so ExecuteStatement writes GetItem's
// answer without a copy through a parsed document.
void write_got_item(Context& ctx, const rapidjson::Value& request, bool as_list,
                    model::JsonWriter& out);

}  // namespace jormun::ops
