// entry.cc -- the plugin's one exported symbol.
#include <sqlite3.h>

#include <jormun/plugin.hpp>

#include "options.h"
#include "sqlite_engine.h"

namespace jormun::sqlite {
namespace {

std::unique_ptr<plugin::Instance> open_instance(const std::string& data_dir,
                                                const plugin::Options& options) {
  EngineOptions parsed = parse_options(options);
  // Connections are used from many threads (one at a time each), which a
  // single-threaded build of the library cannot do.
  if (sqlite3_threadsafe() == 0)
    throw plugin::Error(JORMUN_NOT_SUPPORTED,
                        "sqlite: the SQLite library was built without thread support");
  return std::make_unique<SqliteEngine>(data_dir, parsed);
}

[[maybe_unused]] void check_options(const plugin::Options& options) {
  (void)parse_options(options);
}

}  // namespace
}  // namespace jormun::sqlite

// Snapshots are left out: the files commit independently, so no read view
// spans them consistently.
#ifndef JORMUN_SQLITE_WITHOUT_CHECK_OPTIONS
JORMUN_DEFINE_ENGINE("sqlite", "0.1.0",
                     JORMUN_CAP_CHECKPOINT | JORMUN_CAP_CONCURRENT_SYNC | JORMUN_CAP_SYNC,
                     &jormun::sqlite::open_instance, &jormun::sqlite::check_options)
#else
JORMUN_DEFINE_ENGINE("sqlite", "0.1.0",
                     JORMUN_CAP_CHECKPOINT | JORMUN_CAP_CONCURRENT_SYNC | JORMUN_CAP_SYNC,
                     &jormun::sqlite::open_instance)
#endif
