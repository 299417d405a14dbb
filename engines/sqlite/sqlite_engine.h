// sqlite_engine.h -- one SQLite engine instance (the jormun::plugin::Instance).
//
// Files in the data directory:
//   meta.sqlite          settings, keyspace names -> ids, pending drops
//   intent.sqlite        the intent log for multi-partition batches
//   p0000.sqlite ...     one file per partition range (partition_map.h),
//                        each opened on its first use (partition_set.h)
// all in WAL mode.
//
// Lock order (to rule out deadlock): leading the group of spanning batches
// (spanning_, which holds no mutex while it leads) or the metadata mutex,
// then partition writer mutexes in ascending partition order, then the
// intent log's own mutex. forget_mutex_ is taken alone. A point read only
// tries its partition's writer mutex, without waiting, else takes a reader
// from the pool.
//
// Thread-safety: every member is safe for concurrent calls, as the ABI
// requires of an instance.
#ifndef JORMUN_ENGINES_SQLITE_SQLITE_ENGINE_H
#define JORMUN_ENGINES_SQLITE_SQLITE_ENGINE_H

#include <atomic>
#include <cstdint>
#include <jormun/plugin.hpp>
#include <jormun/write_group.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "intent_log.h"
#include "meta_store.h"
#include "options.h"
#include "partition.h"
#include "partition_map.h"
#include "partition_set.h"

namespace jormun::sqlite {

class SqliteEngine final : public plugin::Instance {
 public:
  // Opens or creates the instance in `data_dir` (which must exist), replays
  // the intent log and finishes interrupted keyspace drops.
  SqliteEngine(const std::string& data_dir, const EngineOptions& options);

  plugin::Keyspace* keyspace_open(std::string_view name, bool create) override;
  void keyspace_drop(plugin::Keyspace* keyspace) override;
  bool get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
           std::string_view key, jormun_value_fn fn, void* ctx) override;
  void write(const jormun_write_op* ops, size_t count, bool sync) override;
  std::unique_ptr<plugin::Iterator> iterate(plugin::Keyspace* keyspace,
                                            const plugin::Range& range) override;
  void checkpoint(const std::string& target_dir) override;
  void sync() override;
  void stats(jormun_stat_fn fn, void* ctx) override;

 private:
  struct Keyspace final : plugin::Keyspace {
    Keyspace(const SqliteEngine* owner, int64_t id) : owner(owner), id(id) {}
    const SqliteEngine* owner;
    int64_t id;
  };

  int64_t keyspace_id(plugin::Keyspace* keyspace) const;
  // Sets next_seq_ past every sequence ever logged, replays the intent log
  // and finishes interrupted keyspace drops.
  void recover();
  // Applies every logged batch to the partitions that lack it (counted in
  // the stats when `at_open`), then lists it as applied: it leaves the log
  // with the next sync of every file (forget_applied), since the files that
  // had it may hold it in commits not yet synced (an earlier process
  // stopped before its sync, or this one's failed batch).
  // REQUIRES: no writer runs (at open, or under every writer lock).
  void replay_intents(bool at_open);
  // Replays the intent log under every lock and lets writes go on again;
  // throws, leaving writes stopped, when the replay fails.
  void heal();
  // A batch spanning partitions on its way through spanning_; the leader of
  // its group sets `seq`.
  struct SpanningBatch {
    std::span<const Mutation> ops;  // sorted by partition
    int64_t seq = 0;
  };
  void write_across(const std::vector<Mutation>& ops);
  // Steps 1 to 3 of intent_log.h for one group, on its leader's thread.
  void apply_group(const std::vector<SpanningBatch*>& group);
  // Notes batch `seq` as applied to every file it touches; every
  // kForgetEvery such batches, syncs every file and drops them from the
  // intent log (step 4 of intent_log.h). REQUIRES: no writer lock held.
  void forget_applied(int64_t seq);
  void stop_writes(const std::string& why);
  // Throws when a failed batch stopped writes. Called with the writer locks
  // held: the failing batch sets the flag before it lets go of its
  // partitions, so a caller that waited for one of them sees it here.
  void refuse_after_failure(std::string_view what);
  std::vector<uint32_t> all_partitions() const;
  // Locks the writer mutex of each partition in `indexes` (ascending),
  // opening those not open yet.
  std::vector<std::unique_lock<std::mutex>> lock_writers(
      const std::vector<uint32_t>& indexes);

  std::string dir_;
  EngineOptions options_;

  std::mutex meta_mutex_;  // guards meta_ and keyspaces_
  MetaStore meta_;
  std::map<std::string, std::unique_ptr<Keyspace>, std::less<>> keyspaces_;

  PartitionMap map_;
  PartitionSet partitions_;
  IntentLog intents_;
  WriteGroup<SpanningBatch> spanning_;
  // Drawn only by the leader of spanning_ (and set at open).
  int64_t next_seq_ = 1;
  // Spanning batches applied (spanning_.groups() counts the intent log
  // commits they took).
  std::atomic<uint64_t> spanning_batches_{0};
  // Spanning batches applied everywhere but still in the intent log.
  std::mutex forget_mutex_;
  std::vector<int64_t> applied_;
  // Logged batches open found some partition lacking (and replayed there),
  // and those of them that other partitions had (torn by a crash, made
  // whole by the replay).
  int64_t replayed_at_open_ = 0;
  int64_t repaired_at_open_ = 0;

  // Set when a multi-partition batch failed after it was logged: the files
  // then disagree until the log is replayed, so writes, keyspace drops and
  // checkpoints stop until heal() (the next write) or a reopen replays it. A later write
  // to a partition the batch did not reach would carry a higher intent mark (and replay
  // would skip the batch there) or be overwritten by the replay.
  std::atomic<bool> failed_{false};
  std::mutex failure_mutex_;
  std::string failure_;  // why failed_ is set
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_SQLITE_ENGINE_H
