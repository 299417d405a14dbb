// The plugin's one exported symbol.
#include <jormun/plugin.hpp>
#include <rocksdb/version.h>

#include "instance.h"

#define JORMUN_ROCKSDB_STR(x) #x
#define JORMUN_ROCKSDB_XSTR(x) JORMUN_ROCKSDB_STR(x)

JORMUN_DEFINE_ENGINE("rocksdb",
                     JORMUN_ENGINE_VERSION
                     " (RocksDB " JORMUN_ROCKSDB_XSTR(ROCKSDB_MAJOR) "." JORMUN_ROCKSDB_XSTR(
                         ROCKSDB_MINOR) "." JORMUN_ROCKSDB_XSTR(ROCKSDB_PATCH) ")",
                     JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT,
                     &jormun::rocks::RocksInstance::open)
