#include "config/ttl_config.h"

#include "config/yaml_fields.h"

namespace jormun::config {

TtlConfig parse_ttl(const YAML::Node& t, const std::string& src) {
  TtlConfig c;
  if (t.IsNull()) return c;
  check_keys(
      t,
      {"sweep_interval_seconds", "max_deletes_per_second", "test_clock_offset_seconds",
       "hide_expired", "change_cooldown_seconds"},
      src, "ttl");
  auto read = [&](const char* name, unsigned long long max) {
    const std::string key = std::string("ttl.") + name;
    return number(scalar(t[name], src, key), max, src, key);
  };
  if (t["sweep_interval_seconds"])
    c.sweep_interval_seconds = read("sweep_interval_seconds", 86400);
  if (c.sweep_interval_seconds == 0)
    fail(src, "ttl.sweep_interval_seconds", "must be at least 1");
  if (t["max_deletes_per_second"])
    c.max_deletes_per_second = read("max_deletes_per_second", 1000000);
  if (c.max_deletes_per_second == 0)
    fail(src, "ttl.max_deletes_per_second", "must be at least 1");
  // A hundred years: far enough for any test, and the sum with the clock
  // cannot overflow.
  if (t["test_clock_offset_seconds"])
    c.test_clock_offset_seconds = read("test_clock_offset_seconds", 3153600000ull);
  if (t["change_cooldown_seconds"])
    c.change_cooldown_seconds = read("change_cooldown_seconds", 86400);
  if (t["hide_expired"])
    c.hide_expired =
        boolean(scalar(t["hide_expired"], src, "ttl.hide_expired"), src, "ttl.hide_expired");
  return c;
}

}  // namespace jormun::config
