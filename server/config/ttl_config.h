// The `ttl:` section of jormun.yaml: how the background sweeper deletes
// expired items (ops/ttl_sweeper.h).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

namespace jormun::config {

struct TtlConfig {
  // Seconds between the starts of two sweeps over every TTL-enabled table.
  unsigned sweep_interval_seconds = 60;
  // Expired items deleted per second at most, over all tables, so a mass
  // expiry does not starve client requests.
  unsigned max_deletes_per_second = 1000;
  // Added to the clock the sweeper compares expiry times with. For tests
  // only (expiry in seconds, not hours): 0 in production; the server says
  // so loudly in its log when it is not.
  uint64_t test_clock_offset_seconds = 0;
};

// Parses the `ttl:` node; throws ConfigError naming the key.
TtlConfig parse_ttl(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
