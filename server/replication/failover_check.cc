#include "replication/failover_check.h"

#include <algorithm>
#include <future>
#include <vector>

#include "client/client.h"
#include "common/log.h"
#include "storage/replication_followers.h"

namespace jormun::replication {
namespace {

// How long one follower may take to answer, all told (connecting, sending,
// reading): one request, never retried.
constexpr std::chrono::milliseconds kAskTimeout{2000};
// Followers asked at once: the check takes about kAskTimeout per this many
// followers that do not answer.
constexpr size_t kAskedAtOnce = 32;

std::string text_of(const rapidjson::Value& v, const char* name) {
  auto m = v.FindMember(name);
  return m != v.MemberEnd() && m->value.IsString() ? m->value.GetString() : "";
}

// What one follower said: whether it is a primary promoted from us, or why
// it could not say.
struct Verdict {
  bool promoted = false;
  std::string failure;
};

Verdict ask(const std::string& url, const std::string& own_id,
            const std::string& ca_file) noexcept {
  try {
    client::Endpoint e = client::parse_endpoint(url, "follower URL");
    e.ca_file = ca_file;
    e.credentials = {"jormun-replica", "jormun-replica", ""};
    e.timeout = kAskTimeout;
    e.tries = 1;
    client::Client c(e);
    rapidjson::Document s = c.call("JormunReplicationStatus", "{}");
    return {text_of(s, "Role") == "PRIMARY" && text_of(s, "PromotedFrom") == own_id, ""};
  } catch (const std::exception& e) {
    return {false, e.what()};
  } catch (...) {
    return {false, "unknown error"};
  }
}

}  // namespace

std::optional<std::string> promoted_follower(const std::string& data_dir,
                                             const std::string& own_id,
                                             const std::string& ca_file) {
  const auto followers = storage::ReplicationFollowers(data_dir).list();
  std::optional<std::string> promoted;
  for (size_t first = 0; first < followers.size(); first += kAskedAtOnce) {
    const size_t end = std::min(followers.size(), first + kAskedAtOnce);
    std::vector<std::future<Verdict>> asked;
    for (size_t i = first; i < end; ++i)
      asked.push_back(
          std::async(std::launch::async, ask, followers[i].url, own_id, ca_file));
    for (size_t i = first; i < end; ++i) {
      const Verdict v = asked[i - first].get();
      const std::string& url = followers[i].url;
      if (v.promoted && !promoted) promoted = url;
      if (!v.failure.empty())
        log::notice("replication: follower " + url +
                    " did not say whether it was promoted (" + v.failure +
                    "); starting all the same");
    }
    if (promoted) break;
  }
  return promoted;
}

}  // namespace jormun::replication
