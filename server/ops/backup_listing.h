// The pure rules of the backup operations: backup ARNs, and which backups a
// ListBackups page holds. Kept apart from the operations so that they can be
// tested without a server.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/backup_store.h"

namespace jormun::ops {

// arn:aws:dynamodb:<region>:000000000000:table/<table>/backup/<id>, as
// DynamoDB names a backup.
std::string backup_arn(std::string_view region, std::string_view table, std::string_view id);

// The backup id of a backup ARN of this server's region and account (its
// table part a valid table name, its id of is_backup_id's form); nullopt for
// any other text. The caller still checks that the backup is of that table.
struct BackupArnParts {
  std::string table;
  std::string id;
};
std::optional<BackupArnParts> parse_backup_arn(std::string_view arn, std::string_view region);

// ListBackups' filters, as validated from the request.
struct BackupFilter {
  std::optional<std::string> table;  // TableName
  std::optional<double> from;        // TimeRangeLowerBound, epoch seconds, inclusive
  std::optional<double> to;          // TimeRangeUpperBound, epoch seconds, exclusive
  std::string type = "ALL";          // BackupType: USER, SYSTEM, AWS_BACKUP or ALL
  std::optional<std::string> after;  // the id of ExclusiveStartBackupArn
  size_t limit = 100;                // Limit (DynamoDB's page at most)
};

struct BackupPage {
  std::vector<storage::Backup> backups;  // in creation order
  // The id to continue after (LastEvaluatedBackupArn) when more match.
  std::optional<std::string> last;
};

// One page of `all` (in creation order, as BackupStore::list gives them)
// under `filter`. Every backup this server takes is a USER backup.
BackupPage select_backups(const std::vector<storage::Backup>& all, const BackupFilter& filter);

}  // namespace jormun::ops
