#include "intent_log.h"

#include <algorithm>

namespace jormun::sqlite {
namespace {

// DO NOT CHANGE: on disk.
constexpr const char* kIntentSchema =
    "CREATE TABLE IF NOT EXISTS intent_ops("
    "  seq INTEGER NOT NULL, part INTEGER NOT NULL, idx INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL, ks INTEGER NOT NULL,"
    "  key BLOB NOT NULL, value BLOB NOT NULL,"
    "  PRIMARY KEY (seq, part, idx)) WITHOUT ROWID;"
    // The highest sequence forgotten (one row, id 0); absent in logs made
    // before it was kept.
    "CREATE TABLE IF NOT EXISTS intent_last(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);";

}  // namespace

IntentLog::IntentLog(const std::string& path, int busy_timeout_ms)
    : conn_(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms) {
  conn_.enable_wal();
  // Opened with every reopen of the instance, whatever it is used for.
  conn_.keep_wal_files();
  conn_.set_synchronous(2);
  conn_.exec(kIntentSchema);
  insert_ = conn_.prepare(
      "INSERT INTO intent_ops (seq, part, idx, kind, ks, key, value)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  delete_ = conn_.prepare("DELETE FROM intent_ops WHERE seq = ?1");
  max_seq_ = conn_.prepare("SELECT coalesce(max(seq), 0) FROM intent_ops");
  last_seq_ = conn_.prepare("SELECT seq FROM intent_last WHERE id = 0");
  keep_last_ = conn_.prepare(
      "INSERT INTO intent_last (id, seq) VALUES (0, ?1)"
      " ON CONFLICT(id) DO UPDATE SET seq = max(seq, excluded.seq)");
  pending_ = conn_.prepare("SELECT DISTINCT seq FROM intent_ops ORDER BY seq");
  partitions_of_ = conn_.prepare(
      "SELECT DISTINCT part FROM intent_ops WHERE seq = ?1 ORDER BY part");
  load_ = conn_.prepare(
      "SELECT kind, ks, key, value FROM intent_ops"
      " WHERE seq = ?1 AND part = ?2 ORDER BY idx");
}

void IntentLog::record(std::span<const LoggedBatch> batches) {
  std::lock_guard lock(mutex_);
  Transaction txn(conn_);
  for (const LoggedBatch& batch : batches) {
    int64_t index = 0;
    for (const Mutation& op : batch.ops) {
      insert_->bind(1, batch.seq)
          .bind(2, int64_t{op.partition})
          .bind(3, index++)
          .bind(4, int64_t{op.kind})
          .bind(5, op.keyspace)
          .bind(6, op.key)
          .bind(7, op.value)
          .execute();
    }
  }
  txn.commit();
}

void IntentLog::forget(std::span<const int64_t> seqs) {
  std::lock_guard lock(mutex_);
  // Only the insert must reach the disk before the batch is applied; the
  // deletion may be lost (see the protocol), so it skips the fsync.
  SynchronousScope level(conn_, 1, 2);
  Transaction txn(conn_);
  for (int64_t seq : seqs) delete_->bind(1, seq).execute();
  if (!seqs.empty()) keep_last_->bind(1, *std::max_element(seqs.begin(), seqs.end())).execute();
  txn.commit();
}

int64_t IntentLog::pending_max() {
  std::lock_guard lock(mutex_);
  ResetOnExit reset(*max_seq_);
  max_seq_->step();
  return max_seq_->integer(0);
}

std::optional<int64_t> IntentLog::last_seq() {
  std::optional<int64_t> kept;
  {
    std::lock_guard lock(mutex_);
    ResetOnExit reset(*last_seq_);
    if (last_seq_->step()) kept = last_seq_->integer(0);
  }
  if (!kept) return std::nullopt;
  return std::max(*kept, pending_max());
}

void IntentLog::keep_last_seq(int64_t seq) {
  std::lock_guard lock(mutex_);
  keep_last_->bind(1, seq).execute();
}

std::vector<int64_t> IntentLog::pending() {
  std::lock_guard lock(mutex_);
  ResetOnExit reset(*pending_);
  std::vector<int64_t> out;
  while (pending_->step()) out.push_back(pending_->integer(0));
  return out;
}

std::vector<uint32_t> IntentLog::partitions_of(int64_t seq) {
  std::lock_guard lock(mutex_);
  ResetOnExit reset(*partitions_of_);
  partitions_of_->bind(1, seq);
  std::vector<uint32_t> out;
  while (partitions_of_->step())
    out.push_back(static_cast<uint32_t>(partitions_of_->integer(0)));
  return out;
}

std::vector<LoggedMutation> IntentLog::load(int64_t seq, uint32_t partition) {
  std::lock_guard lock(mutex_);
  ResetOnExit reset(*load_);
  load_->bind(1, seq).bind(2, int64_t{partition});
  std::vector<LoggedMutation> out;
  while (load_->step()) {
    out.push_back({static_cast<uint32_t>(load_->integer(0)), load_->integer(1),
                   std::string(load_->blob(2)), std::string(load_->blob(3))});
  }
  return out;
}

}  // namespace jormun::sqlite
