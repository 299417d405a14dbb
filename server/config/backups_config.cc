#include "config/backups_config.h"

#include "config/yaml_fields.h"

namespace jormun::config {

BackupsConfig parse_backups(const YAML::Node& b, const std::string& src) {
  BackupsConfig c;
  if (b.IsNull()) return c;
  check_keys(b, {"dir", "pitr_checkpoint_interval_seconds"}, src, "backups");
  if (b["dir"]) {
    c.dir = scalar(b["dir"], src, "backups.dir");
    if (c.dir.empty()) fail(src, "backups.dir", "must not be empty");
  }
  if (b["pitr_checkpoint_interval_seconds"]) {
    const std::string key = "backups.pitr_checkpoint_interval_seconds";
    c.pitr_checkpoint_interval_seconds =
        number(scalar(b["pitr_checkpoint_interval_seconds"], src, key), 86400, src, key);
    if (c.pitr_checkpoint_interval_seconds == 0) fail(src, key, "must be at least 1");
  }
  return c;
}

}  // namespace jormun::config
