#include "replication/failover_check.h"

#include "client/client.h"
#include "common/log.h"
#include "storage/replication_followers.h"

namespace jormun::replication {
namespace {

constexpr std::chrono::milliseconds kAskTimeout{2000};

std::string text_of(const rapidjson::Value& v, const char* name) {
  auto m = v.FindMember(name);
  return m != v.MemberEnd() && m->value.IsString() ? m->value.GetString() : "";
}

}  // namespace

std::optional<std::string> promoted_follower(const std::string& data_dir,
                                             const std::string& own_id) {
  for (const auto& f : storage::ReplicationFollowers(data_dir).list()) {
    try {
      client::Endpoint e = client::parse_endpoint(f.url, "follower URL");
      e.credentials = {"jormun-replica", "jormun-replica", ""};
      e.timeout = kAskTimeout;
      client::Client c(e);
      rapidjson::Document s = c.call("JormunReplicationStatus", "{}");
      if (text_of(s, "Role") == "PRIMARY" && text_of(s, "PromotedFrom") == own_id)
        return f.url;
    } catch (const std::exception& e) {
      log::notice("replication: follower " + f.url +
                  " did not say whether it was promoted (" + e.what() +
                  "); starting all the same");
    }
  }
  return std::nullopt;
}

}  // namespace jormun::replication
