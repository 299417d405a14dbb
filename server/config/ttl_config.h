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
  // Added to the server clock (common/clock.h: TTL expiry, stream record
  // times, shard ages, retention). For tests only (hours pass in seconds):
  // 0 in production; the server says so loudly in its log when it is not.
  uint64_t test_clock_offset_seconds = 0;
  // Reads leave out items whose TTL has passed but that are not deleted
  // yet (ops/expired_reads.h). DynamoDB returns them, hence off by default.
  bool hide_expired = false;
  // Seconds after a change of a table's TTL during which UpdateTimeToLive
  // refuses another ("modified multiple times within a fixed interval"), as
  // DynamoDB does; 0 lets changes follow each other at once.
  unsigned change_cooldown_seconds = 1860;
};

// Parses the `ttl:` node; throws ConfigError naming the key.
TtlConfig parse_ttl(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
