// The shapes the backup operations answer with: BackupDetails,
// BackupDescription (with SourceTableDetails and SourceTableFeatureDetails)
// and BackupSummary, as DynamoDB's API reference gives them.
#pragma once

#include <string_view>

#include "model/attribute_json.h"
#include "storage/backup_store.h"

namespace jormun::ops {

// The backup's ARN in `region`.
std::string arn_of(const storage::Backup& b, std::string_view region);

// BackupDetails (a member value): `status` is AVAILABLE, or DELETED in
// DeleteBackup's answer.
void write_backup_details(const storage::Backup& b, std::string_view status,
                          std::string_view region, model::JsonWriter& w);
// BackupDescription (a member value).
void write_backup_description(const storage::Backup& b, std::string_view status,
                              std::string_view region, model::JsonWriter& w);
// One element of ListBackups' BackupSummaries.
void write_backup_summary(const storage::Backup& b, std::string_view region,
                          model::JsonWriter& w);

}  // namespace jormun::ops
