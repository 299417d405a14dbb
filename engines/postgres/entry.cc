// The plugin's one exported symbol: the PostgreSQL engine through the jormun
// plugin adaptor.
//
// Capabilities: snapshots (REPEATABLE READ transactions), checkpoints (a
// copy inside the database), concurrent synced writes (every commit is
// durable and PostgreSQL groups concurrent commits' WAL flushes itself),
// sync (a no-op: see PgInstance::sync) and preconditions (several jormundb
// processes may share the database: PgInstance::write_checked) and joint
// writes (several instances over one connection pool in one transaction:
// PgInstance::write_joint).
// `control` knows no command yet: the database administers itself.
#include <jormun/plugin.hpp>

#include "instance.h"
#include "options.h"

namespace {

std::unique_ptr<jormun::plugin::Instance> open_postgres(
    const std::string& data_dir, const jormun::plugin::Options& options) {
  return std::make_unique<jormun::postgres::PgInstance>(
      data_dir, jormun::postgres::parse_options(options));
}

void check_postgres_options(const jormun::plugin::Options& options) {
  (void)jormun::postgres::parse_options(options);
}

}  // namespace

JORMUN_DEFINE_ENGINE("postgres", "0.1.0",
                     JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT |
                         JORMUN_CAP_CONCURRENT_SYNC | JORMUN_CAP_SYNC |
                         JORMUN_CAP_PRECONDITIONS | JORMUN_CAP_JOINT_WRITES,
                     &open_postgres, &check_postgres_options)
