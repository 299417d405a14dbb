// The replication actions a server answers in either role
// (docs/replication.md): JormunReplicationStatus (its role, and for a
// replica how far each copy is) and JormunPromote (a replica becomes a
// primary). The primary's log and snapshot actions are in
// ops/replication_*.cc.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void replication_status(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out);
void promote(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
