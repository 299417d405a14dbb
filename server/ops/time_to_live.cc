#include "ops/time_to_live.h"

#include <string>

#include "common/api_error.h"
#include "common/clock.h"
#include "ops/params.h"

namespace jormun::ops {
namespace {

struct Specification {
  bool enabled = false;
  std::string attribute;
};

// TimeToLiveSpecification's member constraints, collected into `p` in
// DynamoDB's order (dynalite's tests: Enabled, then AttributeName).
Specification read_specification(Params& p) {
  const rapidjson::Value* spec = p.object("TimeToLiveSpecification");
  p.not_null(spec, "timeToLiveSpecification");
  Specification s;
  if (!spec) return s;
  Params members(*spec);
  auto enabled = members.boolean("Enabled");
  auto attribute = members.string("AttributeName");
  p.not_null(enabled ? &*enabled : nullptr, "timeToLiveSpecification.enabled");
  p.not_null(attribute ? &*attribute : nullptr, "timeToLiveSpecification.attributeName");
  // An empty name has a message of its own (below), not the length rule's.
  if (attribute && !attribute->empty())
    p.length_between(*attribute, "timeToLiveSpecification.attributeName", 1, 255);
  s.enabled = enabled.value_or(false);
  if (attribute) s.attribute = std::string(*attribute);
  return s;
}

}  // namespace

void update_time_to_live(Context& ctx, const rapidjson::Value& request,
                         model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  Specification spec = read_specification(p);
  p.check();
  if (spec.attribute.empty())
    throw ApiError::validation("TimeToLiveSpecification.AttributeName must be non empty");
  const int64_t cooldown_ms = int64_t{ctx.config.ttl.change_cooldown_seconds} * 1000;
  // Under the catalog's lock: two concurrent changes cannot both pass the
  // checks against the same state. The state's refusals come before the
  // cooldown's, as in DynamoDB (docs/ttl.md).
  ctx.catalog.update_schema(name, [&](const storage::TableSchema& current) {
    const std::string& enabled_on = current.ttl_attribute;
    if (!enabled_on.empty() && spec.attribute != enabled_on)
      throw ApiError::validation(
          "TimeToLive is active on a different AttributeName: current AttributeName is " +
          enabled_on);
    if (spec.enabled && !enabled_on.empty())
      throw ApiError::validation("TimeToLive is already enabled");
    if (!spec.enabled && enabled_on.empty())
      throw ApiError::validation("TimeToLive is already disabled");
    const int64_t now = clock::now_ms();
    if (current.ttl_changed_ms != 0 && now < current.ttl_changed_ms + cooldown_ms)
      throw ApiError::validation(
          "Time to live has been modified multiple times within a fixed interval");
    storage::TableSchema next = current;
    next.ttl_attribute = spec.enabled ? spec.attribute : std::string();
    next.ttl_changed_ms = now;
    return next;
  });
  out.StartObject();
  out.Key("TimeToLiveSpecification");
  out.StartObject();
  // A disabling answer names no attribute (dynalite's tests).
  if (spec.enabled) {
    out.Key("AttributeName");
    out.String(spec.attribute);
  }
  out.Key("Enabled");
  out.Bool(spec.enabled);
  out.EndObject();
  out.EndObject();
}

void describe_time_to_live(Context& ctx, const rapidjson::Value& request,
                           model::JsonWriter& out) {
  Params p(request);
  std::string name = p.table_name();
  p.check();
  auto table = ctx.catalog.find(name);
  if (!table)
    throw ApiError::resource_not_found("Requested resource not found: Table: " + name +
                                       " not found");
  const std::string& attribute = table->schema().ttl_attribute;
  out.StartObject();
  out.Key("TimeToLiveDescription");
  out.StartObject();
  out.Key("TimeToLiveStatus");
  out.String(attribute.empty() ? "DISABLED" : "ENABLED");
  if (!attribute.empty()) {
    out.Key("AttributeName");
    out.String(attribute);
  }
  out.EndObject();
  out.EndObject();
}

}  // namespace jormun::ops
