// `jormun-admin replication status` and `jormun-admin promote`: the
// server's JormunReplicationStatus and JormunPromote (docs/replication.md),
// printed for a person.
#include <cstdio>

#include "admin/commands.h"

namespace jormun::admin {
namespace {

const char* text_of(const rapidjson::Value& v, const char* name) {
  auto m = v.FindMember(name);
  return m != v.MemberEnd() && m->value.IsString() ? m->value.GetString() : "";
}

}  // namespace

int run_replication_status(const CommonOptions& common) {
  Client client(common.endpoint);
  rapidjson::Document s = client.call("JormunReplicationStatus", "{}");
  std::printf("role      %s\n", text_of(s, "Role"));
  std::printf("id       %s\n", text_of(s, "Id"));
  if (*text_of(s, "PromotedFrom"))
    std::printf("promoted from  %s\n", text_of(s, "PromotedFrom"));
  if (*text_of(s, "Primary")) std::printf("primary   %s\n", text_of(s, "Primary"));
  if (auto tables = s.FindMember("Tables");
      tables != s.MemberEnd() && tables->value.IsArray()) {
    std::printf("%-32s %-14s %21s %12s\n", "TABLE", "STATE", "APPLIED", "LAG MS");
    for (const auto& t : tables->value.GetArray())
      std::printf("%-32s %-14s %21llu %12lld\n", text_of(t, "TableName"),
                  text_of(t, "State"),
                  static_cast<unsigned long long>(t["AppliedSequenceNumber"].GetUint64()),
                  static_cast<long long>(t["LagMillis"].GetInt64()));
  }
  if (auto followers = s.FindMember("Followers");
      followers != s.MemberEnd() && followers->value.IsArray()) {
    std::printf("%-34s %-40s %16s\n", "FOLLOWER", "URL", "LAST SEEN MS");
    for (const auto& f : followers->value.GetArray())
      std::printf("%-34s %-40s %16lld\n", text_of(f, "Id"), text_of(f, "Url"),
                  f.HasMember("LastSeenMs") && f["LastSeenMs"].IsInt64()
                      ? static_cast<long long>(f["LastSeenMs"].GetInt64())
                      : 0LL);
  }
  return 0;
}

int run_promote(const CommonOptions& common) {
  Client client(common.endpoint);
  rapidjson::Document s = client.call("JormunPromote", "{}");
  std::printf("promoted: %s is a primary now (it followed primary %s)\n",
              common.endpoint.host_header.c_str(), text_of(s, "PromotedFrom"));
  return 0;
}

}  // namespace jormun::admin
