#include "config/replication_config.h"

#include <fstream>

#include "config/yaml_fields.h"

namespace jormun::config {
namespace {

bool is_http_url(const std::string& url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

}  // namespace

ReplicationConfig parse_replication(const YAML::Node& n, const std::string& src) {
  ReplicationConfig c;
  if (n.IsNull()) return c;
  if (!n.IsMap()) fail(src, "replication", "must be a mapping");
  check_keys(n,
             {"log", "log_retention_hours", "log_retention_mb", "sync", "sync_timeout_ms",
              "follow", "access_key_id", "secret_access_key", "forward_writes", "poll_ms",
              "advertise", "ca_file"},
             src, "replication");
  auto flag = [&](const char* key, bool* out) {
    if (n[key]) *out = boolean(scalar(n[key], src, std::string("replication.") + key), src,
                               std::string("replication.") + key);
  };
  auto count = [&](const char* key, unsigned max, unsigned min, unsigned* out) {
    if (!n[key]) return;
    const std::string name = std::string("replication.") + key;
    *out = static_cast<unsigned>(number(scalar(n[key], src, name), max, src, name));
    if (*out < min) fail(src, name, "must be at least " + std::to_string(min));
  };
  flag("log", &c.log);
  count("log_retention_hours", 24 * 365, 1, &c.log_retention_hours);
  count("log_retention_mb", 1024 * 1024, 1, &c.log_retention_mb);
  flag("sync", &c.sync);
  count("sync_timeout_ms", 3600 * 1000, 1, &c.sync_timeout_ms);
  if (n["follow"]) {
    c.follow = scalar(n["follow"], src, "replication.follow");
    if (!is_http_url(c.follow))
      fail(src, "replication.follow", "must be an http:// or https:// URL");
  }
  // Only that it can be opened: whether it holds certificates is known when
  // the server loads it at start.
  if (n["ca_file"]) {
    c.ca_file = scalar(n["ca_file"], src, "replication.ca_file");
    if (c.ca_file.empty() || !std::ifstream(c.ca_file))
      fail(src, "replication.ca_file", "cannot read " + c.ca_file);
  }
  if (n["access_key_id"])
    c.access_key_id = scalar(n["access_key_id"], src, "replication.access_key_id");
  if (n["secret_access_key"])
    c.secret_access_key =
        scalar(n["secret_access_key"], src, "replication.secret_access_key");
  if (c.access_key_id.empty() != c.secret_access_key.empty())
    fail(src, "replication", "access_key_id and secret_access_key go together");
  flag("forward_writes", &c.forward_writes);
  count("poll_ms", 60000, 1, &c.poll_ms);
  if (n["advertise"]) {
    c.advertise = scalar(n["advertise"], src, "replication.advertise");
    if (!is_http_url(c.advertise))
      fail(src, "replication.advertise", "must be an http:// or https:// URL");
  }
  if (c.following() && c.sync)
    fail(src, "replication.sync", "is for a primary; a follower (follow) has no followers");
  if (!c.following() && (c.forward_writes || !c.access_key_id.empty()))
    fail(src, "replication", "forward_writes and access keys are for a follower (follow)");
  if (c.sync && !c.log) fail(src, "replication.sync", "needs replication.log: true");
  return c;
}

}  // namespace jormun::config
