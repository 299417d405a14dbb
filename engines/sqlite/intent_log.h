// intent_log.h -- the intent log that makes batches spanning several
// partition files atomic across a crash.
//
// SQLite commits each file atomically, but in WAL mode a transaction over
// attached databases is not atomic across files. A batch that touches more
// than one partition therefore goes through this log, itself a SQLite file
// (intent.sqlite), so that a torn record is simply a transaction SQLite
// rolls back on open: no checksums or framing of our own.
//
// PROTOCOL (the engine's write path and open path follow it):
//   1. Join a write group (jormun/write_group.hpp): concurrent spanning
//      batches queue while one group is being written, and the next group
//      is every batch queued by then. The group's leader draws one sequence
//      number per batch, in queue order. Groups run one at a time, so the
//      numbers give the order in which batches apply to every partition.
//   2. record(): insert every operation of the group, tagged with (seq,
//      partition, index in the batch), in one transaction committed with
//      synchronous=FULL: one fsync for the whole group. From here on its
//      batches will happen, whatever crashes.
//   3. Lock the writer mutex of every partition the group touches, in
//      ascending partition order (no deadlock), then apply the group to each
//      partition in one transaction per file, batch after batch in sequence
//      order, committed at the files' configured synchronous level (not
//      synced: the logged batches are what make them durable) and setting
//      that file's intent_mark to the last seq of the group that touches it.
//      A file whose mark is >= seq has every batch up to seq that touches it.
//      Writers of a single partition take its lock in between (they log
//      nothing and draw no number); for them the group's batches are
//      concurrent writes, which replay puts back in the same order.
//   4. Unlock. Every kForgetEvery applied batches, sync every partition
//      file, then forget() those batches (not synced: if the deletion is
//      lost, the marks show the batches applied and replay skips them).
//      Until then a batch stays logged, so a power loss that takes a
//      partition's unsynced commits (and the mark with them, as the WAL
//      keeps a prefix of its commits) is repaired by the replay at open.
//      Only batches known to be applied are forgotten: a batch with a lower
//      sequence number may still be applying on other partitions.
//   Open: for each logged seq in ascending order, apply its operations to
//   every partition whose mark is < seq (with the mark, synced), then count
//   it applied: it is forgotten at the next step 4, as the files that had it
//   may hold it in commits an earlier process never synced.
//   Puts and deletes of one batch are idempotent and every partition took
//   the batches in sequence order (steps 1 and 3), a file's commits surviving
//   as a prefix, so a partition that lacks a batch lacks every later one
//   there too: replay reproduces exactly the state the finished batches
//   would have left. The next sequence number after open is above every
//   logged seq and every mark: forget() keeps the highest sequence it drops
//   (in its own commit), since a mark is at most a sequence once logged, so
//   open knows it without opening every partition file.
//
// Thread-safe: calls are serialised by an internal mutex.
#ifndef JORMUN_ENGINES_SQLITE_INTENT_LOG_H
#define JORMUN_ENGINES_SQLITE_INTENT_LOG_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "connection.h"
#include "mutation.h"

namespace jormun::sqlite {

// A logged operation read back for replay; owns its bytes.
struct LoggedMutation {
  uint32_t kind;
  int64_t keyspace;
  std::string key;
  std::string value;
};

// One batch of a group to log: its sequence number and its operations,
// sorted by partition (stably, so that within a partition the batch order
// decides which of two operations on one key wins).
struct LoggedBatch {
  int64_t seq;
  std::span<const Mutation> ops;
};

// Applied batches stay logged until this many have gathered: forgetting
// them costs a sync of every partition file first (step 4).
inline constexpr size_t kForgetEvery = 128;

class IntentLog {
 public:
  IntentLog(const std::string& path, int busy_timeout_ms);

  // Durably logs a group of batches in one synced commit (step 2).
  void record(std::span<const LoggedBatch> batches);
  // Drops batches `seqs` from the log (step 4), in one unsynced commit.
  void forget(std::span<const int64_t> seqs);

  // The largest sequence number ever logged (pending or forgotten);
  // nullopt for a log from before it kept the highest forgotten one, until
  // keep_last_seq() tells it.
  std::optional<int64_t> last_seq();
  // The largest pending sequence number, 0 when none is.
  int64_t pending_max();
  // Records `seq` as logged once (last_seq() is then at least `seq`).
  void keep_last_seq(int64_t seq);
  // Logged batches, ascending.
  std::vector<int64_t> pending();
  // The partitions batch `seq` touches, ascending.
  std::vector<uint32_t> partitions_of(int64_t seq);
  // The operations of batch `seq` in `partition`, in batch order.
  std::vector<LoggedMutation> load(int64_t seq, uint32_t partition);

 private:
  std::mutex mutex_;
  Connection conn_;
  std::unique_ptr<Statement> insert_;
  std::unique_ptr<Statement> delete_;
  std::unique_ptr<Statement> max_seq_;
  std::unique_ptr<Statement> last_seq_;
  std::unique_ptr<Statement> keep_last_;
  std::unique_ptr<Statement> pending_;
  std::unique_ptr<Statement> partitions_of_;
  std::unique_ptr<Statement> load_;
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_INTENT_LOG_H
