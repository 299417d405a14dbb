// JormunDB's own actions for moving a table to another engine while it is
// in use (storage/catalog_migrate.h); jormun-admin migrate drives them. Not
// DynamoDB operations: SDKs do not know them, and they are served under
// DynamoDB's target prefix like the others.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

// JormunMigrateTable {TableName, TargetEngine}: starts the migration to
// TargetEngine, an engine of the config's engines section; answers
// {Migration: <description>}.
void migrate_table(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
// JormunDescribeMigration {TableName}: the running migration of the table,
// else its last one since the server started; ResourceNotFoundException
// when there is none.
void describe_migration(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out);
// JormunCancelMigration {TableName}: asks the running migration to stop
// (the table stays on its engine unless the switch-over already happened);
// answers its description. ResourceNotFoundException when none runs.
void cancel_migration(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);
// JormunDropOldTableCopies {TableName}: deletes the copies migrations left
// on the engines the table moved off; answers {TableName, DroppedCopies}.
void drop_old_table_copies(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out);

}  // namespace jormun::ops
