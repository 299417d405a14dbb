#include "ops/replica_ops.h"

#include "common/api_error.h"
#include "ops/replication_source.h"

namespace jormun::ops {
namespace {

bool following(const Context& ctx) { return ctx.follower && ctx.follower->following(); }

void write_copies(const replication::Follower& follower, model::JsonWriter& out) {
  out.Key("Primary");
  out.String(follower.primary_url().c_str());
  out.Key("Tables");
  out.StartArray();
  for (const auto& s : follower.status()) {
    out.StartObject();
    out.Key("TableName");
    out.String(s.name.c_str());
    out.Key("TableId");
    out.String(s.id.c_str());
    out.Key("AppliedSequenceNumber");
    out.Uint64(s.applied);
    out.Key("LagMillis");
    out.Int64(s.lag_ms);
    out.Key("State");
    const auto state = replication::state_name(s.state);
    out.String(state.data(), static_cast<rapidjson::SizeType>(state.size()));
    out.EndObject();
  }
  out.EndArray();
}

void write_followers(const storage::ReplicationFollowers& followers,
                     model::JsonWriter& out) {
  out.Key("Followers");
  out.StartArray();
  for (const auto& f : followers.list()) {
    out.StartObject();
    out.Key("Id");
    out.String(f.id.c_str());
    out.Key("Url");
    out.String(f.url.c_str());
    out.Key("LastSeenMs");
    out.Int64(f.last_seen_ms);
    out.Key("Applied");
    out.StartObject();
    for (const auto& [id, n] : f.applied) {
      out.Key(id.c_str());
      out.Uint64(n);
    }
    out.EndObject();
    out.EndObject();
  }
  out.EndArray();
}

}  // namespace

void replication_status(Context& ctx, const rapidjson::Value&, model::JsonWriter& out) {
  out.StartObject();
  out.Key("Role");
  out.String(following(ctx) ? "FOLLOWER" : "PRIMARY");
  if (ctx.replication) {
    out.Key("Id");
    out.String(ctx.replication->id().c_str());
    if (auto from = ctx.replication->promoted_from()) {
      out.Key("PromotedFrom");
      out.String(from->c_str());
    }
  }
  if (following(ctx))
    write_copies(*ctx.follower, out);
  else if (ctx.replication_source)
    write_followers(ctx.replication_source->followers, out);
  out.EndObject();
}

void promote(Context& ctx, const rapidjson::Value&, model::JsonWriter& out) {
  if (!ctx.follower) {
    if (ctx.replication && ctx.replication->promoted_from())
      throw ApiError::validation("This server is a primary already");
    throw ApiError::validation(
        "This server is not a read replica: it has nothing to promote");
  }
  const std::string from = ctx.follower->promote();
  out.StartObject();
  out.Key("Role");
  out.String("PRIMARY");
  out.Key("PromotedFrom");
  out.String(from.c_str());
  out.EndObject();
}

}  // namespace jormun::ops
