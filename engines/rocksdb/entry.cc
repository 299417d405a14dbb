// The plugin's one exported symbol.
#include <jormun/plugin.hpp>

#include "instance.h"

// JORMUN_ENGINE_VERSION comes from CMake: the project's version and the
// RocksDB version the plugin was built against.
JORMUN_DEFINE_ENGINE("rocksdb", JORMUN_ENGINE_VERSION,
                     JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT,
                     &jormun::rocks::RocksInstance::open)
