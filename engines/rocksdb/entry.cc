// The plugin's one exported symbol.
#include <jormun/plugin.hpp>

#include "config.h"
#include "instance.h"

namespace {

void check_options(const jormun::plugin::Options& options) {
  (void)jormun::rocks::parse_config(options);
}

}  // namespace

// JORMUN_ENGINE_VERSION comes from CMake: the project's version and the
// RocksDB version the plugin was built against. Concurrent synced writes
// join one write group, which syncs the log once for all of them.
JORMUN_DEFINE_ENGINE("rocksdb", JORMUN_ENGINE_VERSION,
                     JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT |
                         JORMUN_CAP_CONCURRENT_SYNC | JORMUN_CAP_SYNC,
                     &jormun::rocks::RocksInstance::open, &check_options)
