// The `streams:` section of jormun.yaml: how long stream records are kept
// and how the background trimmer removes older ones (ops/stream_trimmer.h).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace jormun::config {

struct StreamsConfig {
  // Hours a stream record is kept (DynamoDB: 24); older records are trimmed,
  // and a deleted table's streams are readable this long.
  unsigned retention_hours = 24;
  // Seconds between the starts of two trimming passes over every table.
  unsigned trim_interval_seconds = 60;
};

// Parses the `streams:` node; throws ConfigError naming the key.
StreamsConfig parse_streams(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
