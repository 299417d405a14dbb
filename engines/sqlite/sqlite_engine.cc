#include "sqlite_engine.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <filesystem>
#include <span>

#include "fs_sync.h"
#include "range_iterator.h"

namespace jormun::sqlite {
namespace {

namespace fs = std::filesystem;

const std::string& existing_directory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "sqlite: data directory '" + dir + "' does not exist");
  return dir;
}

// The partition count of the instance: the stored one for an existing
// instance (which a different `partitions` option may not change), else the
// option or the default.
uint32_t settled_partitions(std::optional<uint32_t> stored, const EngineOptions& options,
                            const std::string& dir) {
  if (!stored) return options.partitions.value_or(kDefaultPartitions);
  if (*stored > kMaxPartitions || !std::has_single_bit(*stored))
    throw plugin::Error(JORMUN_CORRUPTION, "sqlite: " + dir +
                                               " records an invalid partition count " +
                                               std::to_string(*stored));
  if (options.partitions && *options.partitions != *stored)
    throw plugin::Error(
        JORMUN_INVALID_ARGUMENT,
        "sqlite: option 'partitions' is " + std::to_string(*options.partitions) +
            " but the instance in " + dir + " was created with " +
            std::to_string(*stored) +
            " partitions; the partition count cannot change after creation");
  return *stored;
}

const char* synchronous_name(int level) {
  static const char* const names[] = {"off", "normal", "full"};
  return names[level];
}

}  // namespace

SqliteEngine::SqliteEngine(const std::string& data_dir, const EngineOptions& options)
    : dir_(existing_directory(data_dir)),
      options_(options),
      meta_(dir_ + "/meta.sqlite", options.busy_timeout_ms),
      map_(settled_partitions(meta_.stored_partitions(), options, dir_)),
      partitions_(dir_, map_.count(), options),
      intents_(dir_ + "/intent.sqlite", options.busy_timeout_ms) {
  bool fresh = !meta_.stored_partitions();
  if (fresh) {
    // The partition count is recorded only once every file exists, so an
    // existing instance with a missing partition file is an error, never a
    // silently empty range.
    partitions_.create_all();
    intents_.keep_last_seq(0);
    sync_path(dir_);
    meta_.store_partitions(map_.count());
  } else {
    partitions_.check_all_exist();
  }
  recover();
}

void SqliteEngine::recover() {
  std::optional<int64_t> last_seq = intents_.last_seq();
  if (!last_seq) {
    // A log from before it kept its highest sequence: the partitions' marks
    // may be above what it still holds. Read once, then kept in the log.
    last_seq = intents_.pending_max();
    for (uint32_t i = 0; i < map_.count(); ++i)
      last_seq = std::max(*last_seq, partitions_.at(i).intent_mark());
    intents_.keep_last_seq(*last_seq);
  }
  next_seq_ = *last_seq + 1;

  replay_intents(true);

  for (int64_t id : meta_.pending_drops()) {
    for (uint32_t i = 0; i < map_.count(); ++i) partitions_.at(i).erase_keyspace(id);
    meta_.end_drop(id);
  }
}

void SqliteEngine::replay_intents(bool at_open) {
  // Operations on keyspaces dropped since they were logged are skipped: their
  // ids are never reused, so nothing could read them.
  std::vector<int64_t> live = meta_.keyspace_ids();
  for (int64_t seq : intents_.pending()) {
    bool had = false, lacked = false;
    for (uint32_t index : intents_.partitions_of(seq)) {
      if (index >= partitions_.count())
        throw plugin::Error(JORMUN_CORRUPTION, "sqlite: intent log names partition " +
                                                   std::to_string(index) + " of " +
                                                   std::to_string(partitions_.count()));
      Partition& partition = partitions_.at(index);
      if (partition.intent_mark() >= seq) {
        had = true;
        continue;
      }
      lacked = true;
      std::vector<LoggedMutation> logged = intents_.load(seq, index);
      std::vector<Mutation> ops;
      for (const LoggedMutation& m : logged)
        if (std::binary_search(live.begin(), live.end(), m.keyspace))
          ops.push_back({m.kind, index, m.keyspace, m.key, m.value});
      partition.apply(ops, seq, true);
    }
    {
      std::lock_guard lock(forget_mutex_);
      applied_.push_back(seq);
    }
    // Applied batches stay logged until kForgetEvery of them are synced, so
    // open finds most of them whole: only those some file lacked count.
    if (!at_open || !lacked) continue;
    ++replayed_at_open_;
    if (had) ++repaired_at_open_;
  }
}

void SqliteEngine::heal() {
  std::lock_guard meta(meta_mutex_);
  auto locks = lock_writers(all_partitions());
  if (!failed_.load()) return;
  replay_intents(false);
  std::lock_guard lock(failure_mutex_);
  failure_.clear();
  failed_.store(false);
}

int64_t SqliteEngine::keyspace_id(plugin::Keyspace* keyspace) const {
  auto* ks = dynamic_cast<Keyspace*>(keyspace);
  if (ks == nullptr || ks->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "sqlite: keyspace handle does not belong to this instance");
  return ks->id;
}

plugin::Keyspace* SqliteEngine::keyspace_open(std::string_view name, bool create) {
  std::lock_guard lock(meta_mutex_);
  if (auto it = keyspaces_.find(name); it != keyspaces_.end()) return it->second.get();
  std::optional<int64_t> id = meta_.find_keyspace(name);
  if (!id) {
    if (!create) return nullptr;
    id = meta_.create_keyspace(name);
  }
  auto ks = std::make_unique<Keyspace>(this, *id);
  Keyspace* handle = ks.get();
  keyspaces_.emplace(std::string(name), std::move(ks));
  return handle;
}

void SqliteEngine::keyspace_drop(plugin::Keyspace* keyspace) {
  int64_t id = keyspace_id(keyspace);
  std::lock_guard lock(meta_mutex_);
  // Unlike a write, a drop racing with a failing batch needs no check under
  // the partition locks: erasing stamps no intent mark, and replay skips the
  // operations of keyspaces dropped since they were logged.
  refuse_after_failure("keyspace drops");
  // From this commit on the keyspace is gone; erasing its entries file by
  // file may be interrupted, and open finishes it (recover()).
  meta_.begin_drop(id);
  std::erase_if(keyspaces_, [&](const auto& entry) { return entry.second->id == id; });
  for (uint32_t i = 0; i < map_.count(); ++i) {
    Partition& p = partitions_.at(i);
    std::lock_guard writer(p.write_mutex());
    p.erase_keyspace(id);
  }
  meta_.end_drop(id);
}

bool SqliteEngine::get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
                       std::string_view key, jormun_value_fn fn, void* ctx) {
  int64_t id = keyspace_id(keyspace);
  if (snapshot != nullptr)
    throw plugin::Error(JORMUN_NOT_SUPPORTED, "sqlite: snapshots are not supported");
  Partition& partition = partitions_.at(map_.of(key));
  if (std::optional<bool> found = partition.get_if_writer_idle(id, key, fn, ctx))
    return *found;
  ReaderLease reader = partition.lease_reader();
  return reader->get(id, key, fn, ctx);
}

void SqliteEngine::write(const jormun_write_op* ops, size_t count, bool sync) {
  if (count == 0) return;
  // After a failed batch spanning partitions (a full disk, say), the next
  // write completes it from the intent log, so writes resume by themselves
  // once the disk allows; until then they fail as the replay does.
  if (failed_.load()) heal();
  std::vector<Mutation> mutations;
  mutations.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const jormun_write_op& op = ops[i];
    std::string_view key = plugin::view(op.key);
    mutations.push_back(
        {op.kind, map_.of(key),
         keyspace_id(reinterpret_cast<plugin::Keyspace*>(op.keyspace)), key,
         op.kind == JORMUN_OP_PUT ? plugin::view(op.value) : std::string_view()});
  }
  // Stable: within a partition the batch order decides which of two
  // operations on one key wins.
  std::stable_sort(
      mutations.begin(), mutations.end(),
      [](const Mutation& a, const Mutation& b) { return a.partition < b.partition; });
  if (mutations.front().partition == mutations.back().partition) {
    // One file: one SQLite transaction is atomic, no intent needed.
    Partition& partition = partitions_.at(mutations.front().partition);
    if (sync)
      return partition.apply_synced(mutations,
                                    [this] { refuse_after_failure("writes"); });
    std::lock_guard writer(partition.write_mutex());
    refuse_after_failure("writes");
    partition.apply(mutations, 0, sync);
    return;
  }
  write_across(mutations);
}

// The multi-partition protocol of intent_log.h, steps 1 to 4. The batch's
// one fsync is its group's intent commit, whatever `sync` says: once logged
// it is durable (replay completes it), so the partition commits are not
// synced, and the log entry stays until a later sync of every file
// (forget_applied).
void SqliteEngine::write_across(const std::vector<Mutation>& ops) {
  SpanningBatch batch{ops};
  spanning_.submit(batch, [this](std::vector<SpanningBatch*>& group) { apply_group(group); });
  forget_applied(batch.seq);
}

void SqliteEngine::apply_group(const std::vector<SpanningBatch*>& group) {
  // Only a group's leader sets failed_ (below, before it lets go of its
  // partitions), and groups run one at a time: what this check sees holds
  // until this group fails, so it needs no partition lock.
  refuse_after_failure("writes");
  std::vector<LoggedBatch> logged;
  logged.reserve(group.size());
  // Each partition's share of the group, batch after batch in sequence
  // order, and the last batch that touches it (its intent mark).
  std::vector<std::vector<Mutation>> shares(map_.count());
  std::vector<int64_t> marks(map_.count(), 0);
  for (SpanningBatch* batch : group) {
    batch->seq = next_seq_++;
    logged.push_back({batch->seq, batch->ops});
    for (const Mutation& m : batch->ops) {
      shares[m.partition].push_back(m);
      marks[m.partition] = batch->seq;
    }
  }
  std::vector<uint32_t> touched;
  for (uint32_t i = 0; i < shares.size(); ++i)
    if (!shares[i].empty()) touched.push_back(i);
  // Declared out of the try: a failure must stop writes before the locks go.
  std::vector<std::unique_lock<std::mutex>> locks;
  try {
    intents_.record(logged);
    locks = lock_writers(touched);
    for (uint32_t index : touched) partitions_.at(index).apply(shares[index], marks[index], false);
  } catch (const plugin::Error& e) {
    // The batches may be logged and partly applied: only a replay can bring
    // the files back in line, and a later batch must not overtake them.
    std::string why = std::string(e.what()) +
                      " (a batch spanning partitions failed after it may have "
                      "been logged; it completes from the intent log at the next "
                      "write that can replay it, or when the instance is reopened; "
                      "keyspace drops and checkpoints are refused until then)";
    stop_writes(why);
    throw plugin::Error(e.status(), why);
  } catch (...) {
    stop_writes("sqlite: a batch spanning partitions failed; reopen the instance");
    throw;
  }
  spanning_batches_.fetch_add(group.size(), std::memory_order_relaxed);
}

void SqliteEngine::forget_applied(int64_t seq) {
  std::vector<int64_t> due;
  {
    std::lock_guard lock(forget_mutex_);
    applied_.push_back(seq);
    if (applied_.size() < kForgetEvery) return;
    due.swap(applied_);
  }
  try {
    // Every batch in `due` finished applying before it was listed, so once
    // every file is synced, all of them are durable without the log.
    sync();
    intents_.forget(due);
  } catch (const plugin::Error&) {
    // Still logged, which is safe (replay skips what the marks show
    // applied); try again with the next ones.
    std::lock_guard lock(forget_mutex_);
    applied_.insert(applied_.end(), due.begin(), due.end());
  }
}

std::vector<std::unique_lock<std::mutex>> SqliteEngine::lock_writers(
    const std::vector<uint32_t>& indexes) {
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(indexes.size());
  for (uint32_t i : indexes) locks.emplace_back(partitions_.at(i).write_mutex());
  return locks;
}

void SqliteEngine::stop_writes(const std::string& why) {
  std::lock_guard lock(failure_mutex_);
  if (failed_.load()) return;
  failure_ = why;
  failed_.store(true);
}

std::vector<uint32_t> SqliteEngine::all_partitions() const {
  std::vector<uint32_t> all(map_.count());
  for (uint32_t i = 0; i < map_.count(); ++i) all[i] = i;
  return all;
}

void SqliteEngine::refuse_after_failure(std::string_view what) {
  if (!failed_.load()) return;
  std::lock_guard lock(failure_mutex_);
  throw plugin::Error(JORMUN_IO_ERROR,
                      "sqlite: " + std::string(what) +
                          " refused until the intent log is replayed: " + failure_);
}

std::unique_ptr<plugin::Iterator> SqliteEngine::iterate(plugin::Keyspace* keyspace,
                                                        const plugin::Range& range) {
  int64_t id = keyspace_id(keyspace);
  if (range.snapshot != nullptr)
    throw plugin::Error(JORMUN_NOT_SUPPORTED, "sqlite: snapshots are not supported");
  // Only the files between the bounds' partitions can hold keys in range.
  uint32_t first = range.lower_kind == JORMUN_BOUND_NONE ? 0 : map_.of(range.lower);
  uint32_t last =
      range.upper_kind == JORMUN_BOUND_NONE ? map_.count() - 1 : map_.of(range.upper);
  std::vector<Partition*> order;
  for (uint32_t i = first; i <= last; ++i) order.push_back(&partitions_.at(i));
  if (range.reverse) std::reverse(order.begin(), order.end());
  return std::make_unique<RangeIterator>(std::move(order), id, range);
}

void SqliteEngine::checkpoint(const std::string& target_dir) {
  std::error_code ec;
  if (fs::exists(target_dir, ec) || ec)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "sqlite: checkpoint target '" + target_dir + "' already exists");
  if (!fs::create_directory(target_dir, ec))
    throw plugin::Error(JORMUN_IO_ERROR, "sqlite: cannot create checkpoint directory '" +
                                             target_dir + "': " + ec.message());
  try {
    // With every writer held, no batch is half applied, so the copies form
    // one state and the intent log (left out) has nothing to add to it;
    // unless a failed batch left one half applied, which only a reopen
    // completes.
    std::lock_guard meta_lock(meta_mutex_);
    auto locks = lock_writers(all_partitions());
    refuse_after_failure("checkpoints");
    for (uint32_t i = 0; i < map_.count(); ++i)
      partitions_.at(i).backup_to(target_dir + "/" + PartitionSet::file_name(i));
    // The metadata file last: without it the directory is no instance.
    meta_.backup_to(target_dir + "/meta.sqlite", options_.busy_timeout_ms);
    sync_path(target_dir);
  } catch (...) {
    fs::remove_all(target_dir, ec);
    throw;
  }
}

void SqliteEngine::sync() {
  // Each file's WAL is recovered up to its first bad frame, and a batch over
  // several files is synced whole through the intent log: JORMUN_CAP_SYNC's
  // ordered durability. Frames a checkpoint moved into a file were synced
  // there by the checkpoint; those still in the WAL are synced here. Each
  // file in turn, under its writer lock, so no commit is half written.
  for (uint32_t i = 0; i < map_.count(); ++i) {
    // A file not opened since the instance opened has nothing of its
    // commits to sync; what an earlier process left in its WAL is synced
    // all the same, as it was when every file opened with the instance.
    Partition* partition = partitions_.if_open(i);
    std::unique_lock<std::mutex> lock;
    if (partition) lock = std::unique_lock(partition->write_mutex());
    const std::string wal = partitions_.path(i) + "-wal";
    std::error_code ec;
    if (fs::exists(wal, ec)) sync_path(wal);
  }
}

void SqliteEngine::stats(jormun_stat_fn fn, void* ctx) {
  // Files come and go (WAL, shared memory, journals): count what is there.
  uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::error_code size_ec;
    uint64_t size = entry.is_regular_file(size_ec) ? entry.file_size(size_ec) : 0;
    if (!size_ec) bytes += size;
  }
  size_t keyspaces = 0;
  {
    std::lock_guard lock(meta_mutex_);
    keyspaces = meta_.keyspace_ids().size();
  }
  auto emit = [&](const char* name, const std::string& value) {
    fn(ctx, name, value.c_str());
  };
  emit("approximate_size_bytes", std::to_string(bytes));
  emit("partitions", std::to_string(map_.count()));
  emit("keyspaces", std::to_string(keyspaces));
  emit("synchronous", synchronous_name(options_.synchronous));
  emit("intents_replayed_at_open", std::to_string(replayed_at_open_));
  emit("partial_batches_repaired_at_open", std::to_string(repaired_at_open_));
  emit("spanning_batches_total", std::to_string(spanning_batches_.load()));
  emit("spanning_batch_groups_total", std::to_string(spanning_.groups()));
  emit("sqlite_version", sqlite3_libversion());
  PageCache cache;
  for (uint32_t i = 0; i < map_.count(); ++i) {
    Partition* partition = partitions_.if_open(i);
    if (!partition) continue;
    const PageCache c = partition->page_cache();
    cache.hits += c.hits;
    cache.misses += c.misses;
    cache.used_bytes += c.used_bytes;
  }
  emit("page_cache_hits_total", std::to_string(cache.hits));
  emit("page_cache_misses_total", std::to_string(cache.misses));
  emit("page_cache_used_bytes", std::to_string(cache.used_bytes));
}

}  // namespace jormun::sqlite
