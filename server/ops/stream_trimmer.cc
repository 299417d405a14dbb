#include "ops/stream_trimmer.h"

#include <algorithm>

#include "common/clock.h"
#include "common/guarded.h"
#include "common/stop_wait.h"
#include "ops/pitr_window.h"
#include "storage/change_log.h"

namespace jormun::ops {
namespace {

// The pause between two batches of one pass: room for writers.
constexpr std::chrono::milliseconds kBatchPause{10};

}  // namespace

StreamTrimmer::StreamTrimmer(storage::Catalog& catalog,
                             const config::StreamsConfig& config,
                             const config::ReplicationConfig& replication)
    : catalog_(catalog), config_(config), replication_(replication) {
  thread_ = std::jthread(
      [this](std::stop_token stop) { guarded("stream trimmer", [&] { run(stop); }); });
}

void StreamTrimmer::run(std::stop_token stop) {
  const auto interval = std::chrono::seconds(config_.trim_interval_seconds);
  const int64_t retention_ms = int64_t{config_.retention_hours} * 3600 * 1000;
  while (!stop.stop_requested()) {
    const auto start = std::chrono::steady_clock::now();
    // One table's failure (a full disk, a fault) is logged; the others,
    // and the next pass, go on.
    guarded("expiry of deleted tables' streams",
            [&] { catalog_.expire_retired(clock::now_ms() - retention_ms); });
    for (const std::string& name : catalog_.names()) {
      if (stop.stop_requested()) return;
      // Found again for each batch: a table dropped meanwhile ends its trim.
      guarded("stream trim of table " + name,
              [&] { trim_table([&] { return catalog_.find(name); }, stop); });
    }
    for (const auto& retired : catalog_.retired()) {
      if (stop.stop_requested()) return;
      std::weak_ptr<storage::Table> weak = retired;
      guarded("stream trim of deleted table " + retired->schema().name,
              [&] { trim_table([&] { return weak.lock(); }, stop); });
    }
    if (!pause_unless_stopped(start + interval - std::chrono::steady_clock::now(), stop)) return;
  }
}

int64_t StreamTrimmer::change_log_cutoff(const storage::Table& table) const {
  const storage::TableSchema& schema = table.schema();
  const int64_t now = clock::now_ms();
  // With PITR off no restore needs any record; a closed table's records
  // wait until it opens again rather than open every table each pass.
  // A migration reads the records written since its snapshot.
  if (schema.migrating) return 0;
  // Followers read a listed table's log; a deleted one's no longer.
  const bool replicated = replication_.log && schema.deleted_ms == 0;
  const int64_t kept_from =
      replicated ? now - int64_t{replication_.log_retention_hours} * 3600 * 1000 : now;
  if (!schema.pitr.enabled) return replicated || table.is_open() ? kept_from : 0;
  return std::min(kept_from, change_log_cutoff_ms(table_checkpoints(
                                                      catalog_.pitr_checkpoints().list(),
                                                      schema.id),
                                                  schema.pitr, now));
}

uint64_t StreamTrimmer::change_log_size_cut(storage::Table& table) const {
  const storage::TableSchema& schema = table.schema();
  if (!replication_.log || schema.deleted_ms != 0 || schema.migrating || schema.pitr.enabled)
    return 0;
  const uint64_t limit = uint64_t{replication_.log_retention_mb} * 1024 * 1024;
  uint64_t total = 0;
  auto sum = [&](uint64_t, std::string_view stored) {
    total += stored.size();
    return true;
  };
  table.read_stream(storage::kChangeLogStream, 1, ~uint64_t{0}, sum);
  if (total <= limit) return 0;
  uint64_t cut = 0;
  table.read_stream(storage::kChangeLogStream, 1, ~uint64_t{0},
                    [&](uint64_t sequence, std::string_view stored) {
                      if (total <= limit) return false;
                      total -= stored.size();
                      cut = sequence + 1;
                      return true;
                    });
  return cut;
}

void StreamTrimmer::trim_table(const std::function<std::shared_ptr<storage::Table>()>& find,
                               std::stop_token stop) {
  const int64_t retention_ms = int64_t{config_.retention_hours} * 3600 * 1000;
  // Stream index `streams.size()` stands for the change log, trimmed last.
  for (size_t stream = 0;; ++stream) {
    for (;;) {
      std::shared_ptr<storage::Table> table = find();
      if (!table || stream > table->schema().streams.size()) return;
      const bool log = stream == table->schema().streams.size();
      const storage::StreamSchema s =
          log ? storage::change_log_stream() : table->schema().streams[stream];
      const int64_t cutoff =
          log ? change_log_cutoff(*table) : clock::now_ms() - retention_ms;
      const uint64_t below = log ? change_log_size_cut(*table) : 0;
      const size_t trimmed =
          cutoff > 0 || below > 0 ? table->trim_stream(s, cutoff, kTrimBatch, below) : 0;
      table.reset();
      if (trimmed < kTrimBatch) break;
      if (!pause_unless_stopped(kBatchPause, stop)) return;
    }
  }
}

}  // namespace jormun::ops
