#include <array>
#include <string_view>

#include "ops/backups.h"
#include "ops/batch_ops.h"
#include "ops/continuous_backups.h"
#include "ops/context.h"
#include "ops/item_ops.h"
#include "ops/partiql_ops.h"
#include "ops/query_scan.h"
#include "ops/replica_ops.h"
#include "ops/replication_source.h"
#include "ops/service_info.h"
#include "ops/streams_api.h"
#include "ops/table_ops.h"
#include "ops/table_migration.h"
#include "ops/tags.h"
#include "ops/time_to_live.h"
#include "ops/transactions.h"
#include "ops/update_item.h"
#include "ops/update_table.h"

namespace jormun::ops {
namespace {

// Every operation, once: dispatch and the durable-write hand-off read it.
constexpr std::array kOperations = {
    OperationSpec{"CreateTable", &create_table, ItemWrites::kNone, OnReplica::kPrimary},
    OperationSpec{"DeleteTable", &delete_table, ItemWrites::kNone, OnReplica::kPrimary},
    OperationSpec{"DescribeTable", &describe_table, ItemWrites::kNone},
    OperationSpec{"ListTables", &list_tables, ItemWrites::kNone},
    OperationSpec{"UpdateTable", &update_table, ItemWrites::kNone, OnReplica::kPrimary},
    OperationSpec{"PutItem", &put_item, ItemWrites::kTableName, OnReplica::kPrimary},
    OperationSpec{"GetItem", &get_item, ItemWrites::kNone},
    OperationSpec{"DeleteItem", &delete_item, ItemWrites::kTableName,
                  OnReplica::kPrimary},
    OperationSpec{"UpdateItem", &update_item, ItemWrites::kTableName,
                  OnReplica::kPrimary},
    OperationSpec{"Query", &query, ItemWrites::kNone},
    OperationSpec{"Scan", &scan, ItemWrites::kNone},
    OperationSpec{"BatchGetItem", &batch_get_item, ItemWrites::kNone},
    OperationSpec{"BatchWriteItem", &batch_write_item, ItemWrites::kRequestItems,
                  OnReplica::kPrimary},
    OperationSpec{"TransactWriteItems", &transact_write_items, ItemWrites::kTransactItems,
                  OnReplica::kPrimary},
    OperationSpec{"TransactGetItems", &transact_get_items, ItemWrites::kNone},
    OperationSpec{"ExecuteStatement", &execute_statement, ItemWrites::kStatements,
                  OnReplica::kByStatement},
    OperationSpec{"BatchExecuteStatement", &batch_execute_statement,
                  ItemWrites::kStatements, OnReplica::kByStatement},
    OperationSpec{"ExecuteTransaction", &execute_transaction, ItemWrites::kStatements,
                  OnReplica::kByStatement},
    OperationSpec{"UpdateTimeToLive", &update_time_to_live, ItemWrites::kNone,
                  OnReplica::kPrimary},
    OperationSpec{"DescribeTimeToLive", &describe_time_to_live, ItemWrites::kNone},
    OperationSpec{"TagResource", &tag_resource, ItemWrites::kNone, OnReplica::kPrimary},
    OperationSpec{"UntagResource", &untag_resource, ItemWrites::kNone,
                  OnReplica::kPrimary},
    OperationSpec{"ListTagsOfResource", &list_tags_of_resource, ItemWrites::kNone},
    OperationSpec{"CreateBackup", &create_backup, ItemWrites::kNone},
    OperationSpec{"DescribeBackup", &describe_backup, ItemWrites::kNone},
    OperationSpec{"ListBackups", &list_backups, ItemWrites::kNone},
    OperationSpec{"DeleteBackup", &delete_backup, ItemWrites::kNone},
    OperationSpec{"RestoreTableFromBackup", &restore_table_from_backup, ItemWrites::kNone,
                  OnReplica::kPrimary},
    OperationSpec{"UpdateContinuousBackups", &update_continuous_backups,
                  ItemWrites::kNone, OnReplica::kPrimary},
    OperationSpec{"DescribeContinuousBackups", &describe_continuous_backups,
                  ItemWrites::kNone},
    OperationSpec{"RestoreTableToPointInTime", &restore_table_to_point_in_time,
                  ItemWrites::kNone, OnReplica::kPrimary},
    OperationSpec{"DescribeLimits", &describe_limits, ItemWrites::kNone},
    OperationSpec{"DescribeEndpoints", &describe_endpoints, ItemWrites::kNone},
    // JormunDB's own (ops/table_migration.h; ops/replica_ops.h).
    OperationSpec{"JormunReplicationStatus", &replication_status, ItemWrites::kNone},
    OperationSpec{"JormunPromote", &promote, ItemWrites::kNone},
    OperationSpec{"JormunMigrateTable", &migrate_table, ItemWrites::kNone,
                  OnReplica::kPrimary},
    OperationSpec{"JormunDescribeMigration", &describe_migration, ItemWrites::kNone},
    OperationSpec{"JormunCancelMigration", &cancel_migration, ItemWrites::kNone,
                  OnReplica::kPrimary},
    OperationSpec{"JormunDropOldTableCopies", &drop_old_table_copies, ItemWrites::kNone,
                  OnReplica::kPrimary},
    // (ops/replication_source.h)
    OperationSpec{"JormunReplicationCatalog", &replication_catalog, ItemWrites::kNone},
    OperationSpec{"JormunReplicationSnapshot", &replication_snapshot, ItemWrites::kNone},
    OperationSpec{"JormunReplicationSnapshotPage", &replication_snapshot_page,
                  ItemWrites::kNone},
    OperationSpec{"JormunReplicationSnapshotDone", &replication_snapshot_done,
                  ItemWrites::kNone},
    OperationSpec{"JormunReplicationLog", &replication_log, ItemWrites::kNone},
    OperationSpec{"ListStreams", &list_streams, ItemWrites::kNone, OnReplica::kServe,
                  Api::kStreams},
    OperationSpec{"DescribeStream", &describe_stream, ItemWrites::kNone,
                  OnReplica::kServe, Api::kStreams},
    OperationSpec{"GetShardIterator", &get_shard_iterator, ItemWrites::kNone,
                  OnReplica::kServe, Api::kStreams},
    OperationSpec{"GetRecords", &get_records, ItemWrites::kNone, OnReplica::kServe,
                  Api::kStreams},
};

}  // namespace

std::string_view target_prefix(Api api) {
  return api == Api::kStreams ? "DynamoDBStreams_20120810." : "DynamoDB_20120810.";
}

const OperationSpec* find_operation(std::string_view target) {
  // A linear search: a few dozen comparisons of short strings, most failing
  // on the first byte, cost less than hashing the name.
  for (const auto& op : kOperations) {
    const std::string_view prefix = target_prefix(op.api);
    if (target.size() == prefix.size() + op.name.size() && target.starts_with(prefix) &&
        target.ends_with(op.name))
      return &op;
  }
  return nullptr;
}

}  // namespace jormun::ops
