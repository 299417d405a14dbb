#include "config/streams_config.h"

#include "config/yaml_fields.h"

namespace jormun::config {

StreamsConfig parse_streams(const YAML::Node& s, const std::string& src) {
  StreamsConfig c;
  if (s.IsNull()) return c;
  check_keys(s, {"retention_hours", "trim_interval_seconds"}, src, "streams");
  auto read = [&](const char* name, unsigned long long max) {
    const std::string key = std::string("streams.") + name;
    return number(scalar(s[name], src, key), max, src, key);
  };
  // Up to a year: longer than any peer keeps records.
  if (s["retention_hours"]) c.retention_hours = read("retention_hours", 8760);
  if (c.retention_hours == 0) fail(src, "streams.retention_hours", "must be at least 1");
  if (s["trim_interval_seconds"])
    c.trim_interval_seconds = read("trim_interval_seconds", 86400);
  if (c.trim_interval_seconds == 0)
    fail(src, "streams.trim_interval_seconds", "must be at least 1");
  return c;
}

}  // namespace jormun::config
