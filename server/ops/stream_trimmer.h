// Stream retention: one background thread that, every
// config::StreamsConfig::trim_interval_seconds, deletes the records of every
// table's streams staged more than retention_hours ago (the server clock,
// common/clock.h), oldest first, also of deleted tables kept for their
// streams, and deletes those deleted more than retention_hours ago
// (storage::Catalog::retired). It trims each table's change log
// (storage/change_log.h) too: the records older than the point-in-time
// recovery window's oldest checkpoint, or all of them once PITR is off; on
// a primary that keeps a replication log (config replication.log), those
// older than replication.log_retention_hours and, PITR off, the oldest
// beyond replication.log_retention_mb.
//
// Work is bounded: a table is held for one batch of kTrimBatch records at
// a time (one engine write, its horizon moved in the same batch), and the
// thread pauses between batches, so writers never wait for a whole pass and
// DeleteTable never waits for more than a batch.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "config/replication_config.h"
#include "config/streams_config.h"
#include "storage/catalog.h"

namespace jormun::ops {

class StreamTrimmer {
 public:
  // Records deleted per engine write.
  static constexpr size_t kTrimBatch = 1000;

  // Starts the thread. `catalog` and `config` must outlive the trimmer.
  StreamTrimmer(storage::Catalog& catalog, const config::StreamsConfig& config,
                const config::ReplicationConfig& replication);
  // Stops the thread (an ongoing wait or batch ends early) and joins it: the
  // jthread member does, as it is destroyed first.
  ~StreamTrimmer() = default;
  StreamTrimmer(const StreamTrimmer&) = delete;
  StreamTrimmer& operator=(const StreamTrimmer&) = delete;

 private:
  void run(std::stop_token stop);
  // Trims every stream of the table `find` returns, found again for each
  // batch (null: it is gone, the trim ends).
  void trim_table(const std::function<std::shared_ptr<storage::Table>()>& find,
                  std::stop_token stop);
  // The change log records of `table` staged before this time are needed
  // by no point-in-time restore (0: trim none now).
  int64_t change_log_cutoff(const storage::Table& table) const;
  // The first change log record of `table` that replication.log_retention_mb
  // keeps (0: all of them), when the size limit applies to it. Reads the
  // log's records (twice when it is over the limit).
  uint64_t change_log_size_cut(storage::Table& table) const;

  storage::Catalog& catalog_;
  const config::StreamsConfig& config_;
  const config::ReplicationConfig& replication_;
  std::jthread thread_;  // last: starts once the members above exist
};

}  // namespace jormun::ops
