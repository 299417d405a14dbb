// TransactWriteItems and TransactGetItems: up to 100 actions on items of
// any tables, all or nothing, isolated from every other write
// (storage/write_set.h stages them under their locks in the global order;
// over several tables the commit goes through the transaction log).
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void transact_write_items(Context& ctx, const rapidjson::Value& request,
                          model::JsonWriter& out);
void transact_get_items(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out);

}  // namespace jormun::ops
