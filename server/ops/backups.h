// On-demand backups: CreateBackup, DescribeBackup, ListBackups,
// DeleteBackup and RestoreTableFromBackup (docs/backups.md). Backups are
// engine checkpoints kept by storage::BackupStore; a restore builds the new
// table in the background (storage::Catalog::restore).
#pragma once

#include "ops/context.h"

namespace jormun::ops {

void create_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void describe_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void list_backups(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void delete_backup(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
void restore_table_from_backup(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out);

}  // namespace jormun::ops
