// What a restored table is (RestoreTableFromBackup, RestoreTableToPointInTime):
// the source's schema with DynamoDB's restore rules and the overrides the
// request gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/params.h"
#include "ops/table_params.h"
#include "ops/table_settings.h"
#include "storage/table_schema.h"

namespace jormun::ops {

// The override members both restores take.
struct RestoreOverrides {
  std::optional<std::vector<IndexDefinition>> gsis;  // GlobalSecondaryIndexOverride
  std::optional<std::vector<IndexDefinition>> lsis;  // LocalSecondaryIndexOverride
  std::optional<std::string> billing;                // BillingModeOverride
  std::optional<Throughput> throughput;              // ProvisionedThroughputOverride
  std::optional<SseSpecification> sse;               // SSESpecificationOverride
};

// Reads the override members in DynamoDB's member order; their member
// constraints are recorded in `p` (the caller calls p.check()).
RestoreOverrides read_restore_overrides(Params& p);

// The schema of table `target` restored from `source` (as backed up or
// checkpointed): keys, indexes (all but those being deleted, or the subset
// the overrides pick), billing, throughput, table class and encryption
// carried or overridden; streams, TTL, tags, deletion protection and
// point-in-time recovery not carried, as in DynamoDB. Throws ApiError
// ValidationException for overrides DynamoDB refuses. RestoreSummary unset.
storage::TableSchema restored_schema(const storage::TableSchema& source,
                                     const std::string& target, const RestoreOverrides& o,
                                     std::string_view region);

}  // namespace jormun::ops
