// Point-in-time recovery's checkpoints: one background thread that, every
// config::BackupsConfig::pitr_checkpoint_interval_seconds, checkpoints each
// table with PITR on (storage::BackupStore::create with writes held, into
// Catalog::pitr_checkpoints) and deletes the checkpoints no window needs any
// more: those older than the one a restore to the start of the recovery
// period starts from, and those of tables dropped or with PITR off. The
// change log records they covered are trimmed by ops::StreamTrimmer.
//
// Checkpoints keep a restore's replay short: it replays the change log
// from the newest checkpoint at or before the time restored to.
#pragma once

#include <thread>

#include "config/backups_config.h"
#include "storage/catalog.h"

namespace jormun::ops {

class PitrCheckpointer {
 public:
  // Starts the thread. `catalog` and `config` must outlive it.
  PitrCheckpointer(storage::Catalog& catalog, const config::BackupsConfig& config);
  // Stops the thread (a wait ends early) and joins it.
  ~PitrCheckpointer() = default;
  PitrCheckpointer(const PitrCheckpointer&) = delete;
  PitrCheckpointer& operator=(const PitrCheckpointer&) = delete;

 private:
  void run(std::stop_token stop);
  // One pass over every table and checkpoint.
  void pass();

  storage::Catalog& catalog_;
  const config::BackupsConfig& config_;
  std::jthread thread_;  // last: starts once the members above exist
};

}  // namespace jormun::ops
