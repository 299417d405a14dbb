// Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups
// and RestoreTableToPointInTime (docs/pitr.md). A table with PITR on keeps a
// change log (storage/change_log.h) and periodic checkpoints
// (ops::PitrCheckpointer); a restore is the newest checkpoint at or before
// the time plus the change log replayed up to it, built in the background
// like RestoreTableFromBackup's (storage::Catalog::restore).
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void update_continuous_backups(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out);
void describe_continuous_backups(Context& ctx, const rapidjson::Value& request,
                                 model::JsonWriter& out);
void restore_table_to_point_in_time(Context& ctx, const rapidjson::Value& request,
                                    model::JsonWriter& out);

}  // namespace jormun::ops
