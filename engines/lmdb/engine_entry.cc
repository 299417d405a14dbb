// The plugin's one exported symbol: the LMDB engine through the jormun
// plugin adaptor.
#include <jormun/plugin.hpp>

#include "instance.h"
#include "options.h"

namespace {

std::unique_ptr<jormun::plugin::Instance> open_lmdb(
    const std::string& data_dir, const jormun::plugin::Options& options) {
  return std::make_unique<jormun::lmdb::LmdbInstance>(
      data_dir, jormun::lmdb::parse_options(options));
}

void check_lmdb_options(const jormun::plugin::Options& options) {
  (void)jormun::lmdb::parse_options(options);
}

}  // namespace

JORMUN_DEFINE_ENGINE("lmdb", "0.1.0", JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT | JORMUN_CAP_SYNC,
                     &open_lmdb, &check_lmdb_options)
