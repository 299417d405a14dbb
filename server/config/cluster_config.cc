#include "config/cluster_config.h"

#include <algorithm>

#include "config/yaml_fields.h"

namespace jormun::config {

ClusterConfig parse_cluster(const YAML::Node& n, const std::string& src) {
  ClusterConfig c;
  if (n.IsNull()) return c;
  if (!n.IsMap()) fail(src, "cluster", "must be a mapping (engine, poll_ms, lease_ms)");
  check_keys(n, {"engine", "poll_ms", "lease_ms"}, src, "cluster");
  if (!n["engine"]) fail(src, "cluster.engine", "is required");
  c.engine = scalar(n["engine"], src, "cluster.engine");
  if (c.engine.empty()) fail(src, "cluster.engine", "must not be empty");
  if (n["poll_ms"]) {
    c.poll_ms = number(scalar(n["poll_ms"], src, "cluster.poll_ms"), 60000, src,
                       "cluster.poll_ms");
    if (c.poll_ms < 10) fail(src, "cluster.poll_ms", "must be at least 10");
  }
  if (n["lease_ms"]) {
    c.lease_ms = number(scalar(n["lease_ms"], src, "cluster.lease_ms"), 3600000, src,
                        "cluster.lease_ms");
    // A holder renews every third of it; a reader sees a change only at
    // its polls.
    if (c.lease_ms < 3 * c.poll_ms)
      fail(src, "cluster.lease_ms", "must be at least three times cluster.poll_ms");
  } else {
    c.lease_ms = std::max(c.lease_ms, 3 * c.poll_ms);
  }
  return c;
}

}  // namespace jormun::config
