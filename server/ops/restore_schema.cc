#include "ops/restore_schema.h"

#include <algorithm>

#include "common/api_error.h"

namespace jormun::ops {
namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

// Whether override definition `d` names index `i` as it is: same keys and
// projection (DynamoDB restores indexes as they were backed up; an override
// chooses which, and a GSI's throughput).
bool same_index(const IndexDefinition& d, const storage::IndexSchema& i) {
  if (d.name != i.name) return false;
  std::vector<std::pair<std::string, std::string>> keys, given;
  for (const storage::KeyAttribute* k : i.partition_keys())
    keys.emplace_back(k->name, "HASH");
  for (const storage::KeyAttribute* k : i.sort_keys())
    keys.emplace_back(k->name, "RANGE");
  for (const auto& k : d.keys) given.emplace_back(k.name, k.key_type);
  if (given != keys) return false;
  static constexpr const char* kProjections[] = {"ALL", "KEYS_ONLY", "INCLUDE"};
  if (d.projection_type.value_or("ALL") != kProjections[static_cast<int>(i.projection)])
    return false;
  const std::vector<std::string> none;
  const auto& attrs = d.non_key_attributes ? *d.non_key_attributes : none;
  return attrs == i.non_key_attributes;
}

// The indexes of kind `global` the restored table gets: the backup's (but
// those being deleted), or those `override` picks among them.
std::vector<storage::IndexSchema> restored_indexes(
    const storage::TableSchema& source, bool global,
    const std::optional<std::vector<IndexDefinition>>& override) {
  std::vector<storage::IndexSchema> out;
  for (const auto& i : source.indexes)
    if (i.global == global && i.state != storage::IndexSchema::State::kDeleting &&
        !override)
      out.push_back(i);
  if (!override) return out;
  for (const auto& d : *override) {
    auto it = std::find_if(source.indexes.begin(), source.indexes.end(), [&](const auto& i) {
      return i.global == global && i.state != storage::IndexSchema::State::kDeleting &&
             same_index(d, i);
    });
    if (it == source.indexes.end())
      throw ApiError::validation(kInvalid + (global ? "GlobalSecondaryIndexOverride" :
                                                      "LocalSecondaryIndexOverride") +
                                 " must name an index of the backup as it was backed up: " +
                                 d.name);
    storage::IndexSchema i = *it;
    if (d.throughput) {
      i.read_capacity = d.throughput->read;
      i.write_capacity = d.throughput->write;
    }
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace

RestoreOverrides read_restore_overrides(Params& p) {
  RestoreOverrides o;
  o.gsis = read_index_list(p, "GlobalSecondaryIndexOverride", true);
  o.lsis = read_index_list(p, "LocalSecondaryIndexOverride", false);
  auto billing = p.string("BillingModeOverride");
  p.one_of(billing, "billingModeOverride", {"PROVISIONED", "PAY_PER_REQUEST"});
  if (billing) o.billing = std::string(*billing);
  o.throughput = read_throughput(p, p.object("ProvisionedThroughputOverride"),
                                 "provisionedThroughputOverride");
  o.sse = read_sse_specification(p, "SSESpecificationOverride", "sSESpecificationOverride");
  return o;
}

storage::TableSchema restored_schema(const storage::TableSchema& source,
                                     const std::string& target, const RestoreOverrides& o,
                                     std::string_view region) {
  storage::TableSchema s = source;
  s.name = target;
  // Not restored, as in DynamoDB: streams, TTL, tags, deletion protection
  // and point-in-time recovery are set on the new table afterwards.
  s.streams.clear();
  s.ttl_attribute.clear();
  s.ttl_changed_ms = 0;
  s.tags.clear();
  s.deletion_protection = false;
  s.pitr = {};
  s.restore.reset();
  s.indexes = restored_indexes(source, false, o.lsis);
  auto globals = restored_indexes(source, true, o.gsis);
  s.indexes.insert(s.indexes.end(), globals.begin(), globals.end());
  if (o.billing) s.billing_mode = *o.billing;
  if (s.billing_mode == "PAY_PER_REQUEST") {
    if (o.throughput)
      throw ApiError::validation(
          kInvalid +
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
          "BillingMode is PAY_PER_REQUEST");
    s.read_capacity = s.write_capacity = 0;
    for (auto& i : s.indexes) i.read_capacity = i.write_capacity = 0;
  } else if (o.throughput) {
    s.read_capacity = o.throughput->read;
    s.write_capacity = o.throughput->write;
  } else if (source.billing_mode != "PROVISIONED") {
    throw ApiError::validation(
        kInvalid +
        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
        "is PROVISIONED");
  }
  if (o.sse) s.sse_kms_key_arn = sse_key_arn(*o.sse, region);
  s.prune_attribute_definitions();
  return s;
}

}  // namespace jormun::ops
