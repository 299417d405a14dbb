// Table lifecycle operations.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void create_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void delete_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void describe_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void list_tables(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
