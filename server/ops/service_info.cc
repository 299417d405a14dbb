#include "ops/service_info.h"

#include "ops/params.h"
#include "ops/table_params.h"

namespace jormun::ops {
namespace {

// DynamoDB's default account and table quotas for provisioned capacity, as
// its DescribeLimits reports them. The server enforces none of them (it
// holds capacity to kMaxCapacity), but clients size requests from them.
constexpr int64_t kAccountMaxCapacity = 80000;
constexpr int64_t kTableMaxCapacity = 40000;

// How long a client may keep using the endpoint (DynamoDB's value).
constexpr int kEndpointCacheMinutes = 1440;

}  // namespace

void describe_limits(Context&, const rapidjson::Value& request, model::JsonWriter& out) {
  Params p(request);
  p.check();
  out.StartObject();
  out.Key("AccountMaxReadCapacityUnits");
  out.Int64(kAccountMaxCapacity);
  out.Key("AccountMaxWriteCapacityUnits");
  out.Int64(kAccountMaxCapacity);
  out.Key("TableMaxReadCapacityUnits");
  out.Int64(kTableMaxCapacity);
  out.Key("TableMaxWriteCapacityUnits");
  out.Int64(kTableMaxCapacity);
  out.EndObject();
}

void describe_endpoints(Context& ctx, const rapidjson::Value& request,
                        model::JsonWriter& out) {
  Params p(request);
  p.check();
  out.StartObject();
  out.Key("Endpoints");
  out.StartArray();
  out.StartObject();
  out.Key("Address");
  out.String(ctx.endpoint ? *ctx.endpoint : "");
  out.Key("CachePeriodInMinutes");
  out.Int(kEndpointCacheMinutes);
  out.EndObject();
  out.EndArray();
  out.EndObject();
}

}  // namespace jormun::ops
