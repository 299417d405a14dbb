#include "config/backups_config.h"

#include "config/yaml_fields.h"

namespace jormun::config {

BackupsConfig parse_backups(const YAML::Node& b, const std::string& src) {
  BackupsConfig c;
  if (b.IsNull()) return c;
  check_keys(b, {"dir"}, src, "backups");
  if (b["dir"]) {
    c.dir = scalar(b["dir"], src, "backups.dir");
    if (c.dir.empty()) fail(src, "backups.dir", "must not be empty");
  }
  return c;
}

}  // namespace jormun::config
