// UpdateTimeToLive and DescribeTimeToLive: a table's TTL attribute, kept in
// its schema (storage::TableSchema::ttl_attribute, persisted in the
// catalog). The items it expires are deleted by ops/ttl_sweeper.h.
#pragma once

#include "ops/context.h"

namespace jormun::ops {

// Enables TTL on an attribute, or disables it, with DynamoDB's refusals
// (already enabled, already disabled, enabled on another attribute, and a
// second change within ttl.change_cooldown_seconds of the last). Answers the
// specification as given. The change is in effect at once: like DynamoDB as
// observed (docs/ttl.md), DescribeTimeToLive never shows ENABLING or
// DISABLING.
void update_time_to_live(Context& ctx, const rapidjson::Value& request,
                         model::JsonWriter& out);
// TimeToLiveStatus ENABLED with the attribute, or DISABLED.
void describe_time_to_live(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out);

}  // namespace jormun::ops
