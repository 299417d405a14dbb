// The table settings CreateTable and UpdateTable take besides keys, indexes
// and capacity: DeletionProtectionEnabled, TableClass, SSESpecification,
// OnDemandThroughput and WarmThroughput. They are recorded in the catalog
// and described; DeleteTable enforces deletion protection, the rest changes
// nothing about how the server stores or serves the table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/attribute_json.h"
#include "ops/params.h"
#include "storage/table_schema.h"

namespace jormun::ops {

struct SseSpecification {
  std::optional<bool> enabled;
  std::optional<std::string> sse_type;  // AES256 or KMS
  std::optional<std::string> kms_key_id;
};

// A pair of optional numbers: OnDemandThroughput's MaxRead/WriteRequestUnits
// or WarmThroughput's Read/WriteUnitsPerSecond.
struct UnitPair {
  std::optional<int64_t> read;
  std::optional<int64_t> write;
};

struct TableSettings {
  std::optional<bool> deletion_protection;
  std::optional<std::string> table_class;
  std::optional<SseSpecification> sse;
  std::optional<UnitPair> on_demand;
  std::optional<UnitPair> warm;

  bool any() const {
    return deletion_protection || table_class || sse || on_demand || warm;
  }
};

// An SSESpecification structure in `member` (SSESpecification, or
// RestoreTableFromBackup's SSESpecificationOverride), its violations reported
// at `path`; nullopt when absent.
std::optional<SseSpecification> read_sse_specification(Params& p, const char* member,
                                                       const std::string& path);
// The KMS key ARN an SSESpecification asks for; empty for DynamoDB's
// default encryption (an AWS owned key). Throws ValidationException for a
// combination DynamoDB refuses.
std::string sse_key_arn(const SseSpecification& x, std::string_view region);

// The members, in DynamoDB's member-validation phase (JSON types and
// constraints go to `p`).
TableSettings read_table_settings(Params& p);

// CreateTable: checks the settings against `s` (its billing mode known) and
// records them.
void apply_create_settings(const TableSettings& t, std::string_view region,
                           storage::TableSchema& s);

// UpdateTable's rule that most settings must be the only change of a
// request: `other_changes` counts its other changes (ProvisionedThroughput,
// BillingMode, index updates), `billing_given` whether one is BillingMode,
// the one OnDemandThroughput may come with.
void check_settings_alone(const TableSettings& t, int other_changes, bool billing_given);

// UpdateTable: checks the settings against `s` and records them.
// REQUIRES: `s` already has the request's billing mode.
void apply_update_settings(const TableSettings& t, std::string_view region,
                           storage::TableSchema& s);

// SSEDescription, when the table names a KMS key (DynamoDB describes none
// for its default encryption).
void write_sse_description(const storage::TableSchema& s, model::JsonWriter& w);

// DeletionProtectionEnabled, TableClassSummary, SSEDescription,
// OnDemandThroughput and WarmThroughput of a table description.
void write_table_settings(const storage::TableSchema& s, model::JsonWriter& w);

// DeleteTable's refusal of a protected table.
void check_deletable(const storage::TableSchema& s);

}  // namespace jormun::ops
