// The `backups:` section of jormun.yaml: where CreateBackup keeps backups
// (storage/backup_store.h), and how often point-in-time recovery checkpoints.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace jormun::config {

struct BackupsConfig {
  // The backups folder; empty: <data_dir>/backups. Relative paths count from
  // the server's working directory, as server.data_dir does.
  std::string dir;
  // How often a table with point-in-time recovery on is checkpointed
  // (ops::PitrCheckpointer): a restore replays at most this much of the
  // change log, and writes to the table wait while each checkpoint is taken.
  unsigned pitr_checkpoint_interval_seconds = 3600;
};

// Parses the `backups:` node; throws ConfigError naming the key.
BackupsConfig parse_backups(const YAML::Node& node, const std::string& source);

}  // namespace jormun::config
