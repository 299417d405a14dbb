// The `backups:` section of jormun.yaml: where CreateBackup keeps backups
// (storage/backup_store.h).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace jormun::config {

struct BackupsConfig {
  // The backups folder; empty: <data_dir>/backups. Relative paths count from
  // the server's working directory, as server.data_dir does.
  std::string dir;
};

// Parses the `backups:` node; throws ConfigError naming the key.
BackupsConfig parse_backups(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
