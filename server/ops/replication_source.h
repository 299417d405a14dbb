// A primary's side of read replicas (docs/replication.md): the actions its
// followers call to bootstrap (a catalog, snapshots read a page at a time)
// and to tail the change log. JormunDB's own, under DynamoDB's target
// prefix like the migration actions; every one is refused unless
// replication.log is on.
#pragma once

#include <string>

#include "ops/context.h"
#include "storage/replication_followers.h"
#include "storage/replication_snapshots.h"

namespace jormun::ops {

// What the actions keep between calls: the snapshots being read and the
// followers seen.
struct ReplicationSource {
  ReplicationSource(storage::Catalog& catalog, const std::string& data_dir)
      : snapshots(catalog, data_dir), followers(data_dir) {}
  storage::ReplicationSnapshots snapshots;
  storage::ReplicationFollowers followers;
};

// JormunReplicationCatalog {}: {PrimaryId, CatalogVersion, Tables: [{TableName,
// TableId, Schema}]}, the listed tables with their catalog.json objects.
void replication_catalog(Context& ctx, const rapidjson::Value& request,
                         model::JsonWriter& out);
// JormunReplicationSnapshot {TableName}: takes a snapshot; {SnapshotId,
// TableId, Schema, LogPosition}. With TableNames (TableName, if given, among
// them): takes each one's snapshot at one moment; {Snapshots: [{TableName,
// SnapshotId, TableId, Schema, LogPosition}]} in their order.
void replication_snapshot(Context& ctx, const rapidjson::Value& request,
                          model::JsonWriter& out);
// JormunReplicationSnapshotPage {SnapshotId, ExclusiveStartKey?, Limit?}:
// {Items: [base64 stored item], LastEvaluatedKey?}.
void replication_snapshot_page(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out);
// JormunReplicationSnapshotDone {SnapshotId}: drops it; {}.
void replication_snapshot_done(Context& ctx, const rapidjson::Value& request,
                               model::JsonWriter& out);
// JormunReplicationLog {Follower: {Id, Url}, Tables: {id: next}, Applied:
// {id: next}, Limit?}: each asked table's change log records from its
// position, whole groups only (see the protocol in docs/replication.md).
void replication_log(Context& ctx, const rapidjson::Value& request, model::JsonWriter& out);

}  // namespace jormun::ops
