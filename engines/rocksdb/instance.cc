#include "instance.h"

#include <rocksdb/statistics.h>
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>
#include <mutex>
#include <vector>

#include "column_family_name.h"
#include "iterator.h"
#include "status.h"

namespace jormun::rocks {
namespace {

// An empty span may carry a NULL pointer; RocksDB compares with memcmp,
// which must not see NULL.
rocksdb::Slice slice(std::string_view s) {
  return s.empty() ? rocksdb::Slice() : rocksdb::Slice(s.data(), s.size());
}

rocksdb::Slice slice(jormun_bytes b) { return slice(plugin::view(b)); }

}  // namespace

std::unique_ptr<plugin::Instance> RocksInstance::open(const std::string& data_dir,
                                                      const plugin::Options& options,
                                                      const plugin::Host& host) {
  Config config = parse_config(options);
  std::error_code ec;
  // RocksDB would create a missing directory; the contract says it exists,
  // so a missing one is a host mistake worth reporting.
  if (!std::filesystem::is_directory(data_dir, ec))
    throw plugin::Error(JORMUN_IO_ERROR, "rocksdb: data directory '" + data_dir +
                                             "' does not exist or is not a directory");
  return std::unique_ptr<RocksInstance>(new RocksInstance(config, data_dir, host));
}

RocksInstance::RocksInstance(const Config& config, std::string data_dir,
                             const plugin::Host& host)
    : config_(config),
      options_(make_db_options(config)),
      data_dir_(std::move(data_dir)),
      host_(host) {
  const bool read_only = Database::opens_read_only(data_dir_);
  db_ = Database::open(data_dir_, options_, host_, read_only);
  read_only_.store(read_only);
  for (auto& [name, handle] : db_->families) {
    auto ks = std::make_unique<RocksKeyspace>(name, handle);
    keyspaces_.emplace(ks.get(), std::move(ks));
  }
}

// db_'s Database syncs, destroys the column family handles and closes.
RocksInstance::~RocksInstance() = default;

void RocksInstance::make_writable() {
  if (!read_only_.load(std::memory_order_acquire)) return;
  std::unique_lock lock(mutex_);
  if (!read_only_.load(std::memory_order_relaxed)) return;
  std::shared_ptr<Database> old = db_;
  old->release_lock();
  // Should this fail, the change fails and the read-only database still
  // serves reads; the next change tries again.
  std::shared_ptr<Database> fresh =
      Database::open(data_dir_, options_, host_, /*read_only=*/false);
  // The same column families: the writable open found what the read-only
  // one found, nothing having been written between them.
  for (auto& [key, ks] : keyspaces_)
    if (!fresh->families.contains(ks->name))
      throw plugin::Error(JORMUN_INTERNAL,
                          "rocksdb: keyspace '" + ks->name +
                              "' missing at the writable reopening of '" + data_dir_ +
                              "'");
  for (auto& [key, ks] : keyspaces_) ks->handle = fresh->families.at(ks->name);
  db_ = fresh;
  std::lock_guard guard(phase_.mu);
  for (RocksSnapshot* snapshot : phase_.snapshots) {
    const rocksdb::Snapshot* before = snapshot->snapshot;
    snapshot->snapshot = fresh->db().GetSnapshot();
    old->db().ReleaseSnapshot(before);
  }
  for (RocksIterator* it : phase_.iterators) it->move_to(&fresh->db(), old);
  phase_.snapshots.clear();
  phase_.iterators.clear();
  read_only_.store(false, std::memory_order_release);
}

RocksKeyspace* RocksInstance::find(std::string_view name) const {
  for (const auto& [key, ks] : keyspaces_)
    if (ks->name == name) return ks.get();
  return nullptr;
}

RocksKeyspace* RocksInstance::keyspace_of(const plugin::Keyspace* keyspace) const {
  auto it = keyspaces_.find(keyspace);
  if (it == keyspaces_.end())
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "rocksdb: keyspace handle does not belong to this instance");
  return it->second.get();
}

const RocksSnapshot* RocksInstance::snapshot_of(const plugin::Snapshot* snapshot) const {
  if (snapshot == nullptr) return nullptr;
  auto* ours = static_cast<const RocksSnapshot*>(snapshot);
  if (ours->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "rocksdb: snapshot does not belong to this instance");
  return ours;
}

plugin::Keyspace* RocksInstance::keyspace_open(std::string_view name, bool create) {
  {
    std::shared_lock lock(mutex_);
    if (RocksKeyspace* ks = find(name)) return ks;
  }
  if (!create) return nullptr;
  make_writable();
  std::unique_lock lock(mutex_);
  if (RocksKeyspace* ks = find(name)) return ks;
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  check(db_->db().CreateColumnFamily(options_.column_family, column_family_for(name),
                                     &handle),
        "create keyspace");
  db_->families.emplace(std::string(name), handle);
  auto ks = std::make_unique<RocksKeyspace>(std::string(name), handle);
  RocksKeyspace* raw = ks.get();
  keyspaces_.emplace(raw, std::move(ks));
  return raw;
}

void RocksInstance::keyspace_drop(plugin::Keyspace* keyspace) {
  make_writable();
  std::unique_lock lock(mutex_);
  RocksKeyspace* ks = keyspace_of(keyspace);
  check(db_->db().DropColumnFamily(ks->handle), "drop keyspace");
  db_->db().DestroyColumnFamilyHandle(ks->handle);
  db_->families.erase(ks->name);
  keyspaces_.erase(keyspace);
}

bool RocksInstance::get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
                        std::string_view key, jormun_value_fn fn, void* ctx) {
  rocksdb::ReadOptions read;
  rocksdb::PinnableSlice value;
  std::shared_lock lock(mutex_);
  if (const RocksSnapshot* ours = snapshot_of(snapshot)) read.snapshot = ours->snapshot;
  rocksdb::Status s = db_->db().Get(read, column_family(keyspace), slice(key), &value);
  if (s.IsNotFound()) return false;
  check(s, "get");
  fn(ctx, reinterpret_cast<const uint8_t*>(value.data()), value.size());
  return true;
}

void RocksInstance::write(const jormun_write_op* ops, size_t count, bool sync) {
  if (count == 0) return;
  make_writable();
  rocksdb::WriteBatch batch;
  std::shared_lock lock(mutex_);
  for (size_t i = 0; i < count; ++i) {
    const jormun_write_op& op = ops[i];
    rocksdb::ColumnFamilyHandle* cf =
        column_family(reinterpret_cast<const plugin::Keyspace*>(op.keyspace));
    check(op.kind == JORMUN_OP_PUT ? batch.Put(cf, slice(op.key), slice(op.value))
                                   : batch.Delete(cf, slice(op.key)),
          "write batch");
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  check(db_->db().Write(options, &batch), "write");
}

std::unique_ptr<plugin::Iterator> RocksInstance::iterate(plugin::Keyspace* keyspace,
                                                         const plugin::Range& range) {
  std::shared_lock lock(mutex_);
  return std::make_unique<RocksIterator>(&db_->db(), keyspace_of(keyspace),
                                         snapshot_of(range.snapshot), range,
                                         db_->read_only() ? &phase_ : nullptr);
}

plugin::Snapshot* RocksInstance::snapshot_acquire() {
  std::shared_lock lock(mutex_);
  const rocksdb::Snapshot* snapshot = db_->db().GetSnapshot();
  if (snapshot == nullptr)
    throw plugin::Error(JORMUN_INTERNAL, "rocksdb: could not take a snapshot");
  std::unique_ptr<RocksSnapshot> ours;
  try {
    ours = std::make_unique<RocksSnapshot>(this, snapshot);
    if (db_->read_only()) {
      std::lock_guard guard(phase_.mu);
      phase_.snapshots.insert(ours.get());
    }
  } catch (...) {
    db_->db().ReleaseSnapshot(snapshot);
    throw;
  }
  return ours.release();
}

void RocksInstance::snapshot_release(plugin::Snapshot* snapshot) {
  std::shared_lock lock(mutex_);
  const RocksSnapshot* ours = snapshot_of(snapshot);
  db_->db().ReleaseSnapshot(ours->snapshot);
  if (db_->read_only()) {
    std::lock_guard guard(phase_.mu);
    phase_.snapshots.erase(const_cast<RocksSnapshot*>(ours));
  }
  delete ours;
}

void RocksInstance::checkpoint(const std::string& target_dir) {
  // RocksDB checkpoints a writable database only.
  make_writable();
  std::shared_lock lock(mutex_);
  rocksdb::Checkpoint* raw = nullptr;
  check(rocksdb::Checkpoint::Create(&db_->db(), &raw), "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  check(checkpoint->CreateCheckpoint(target_dir), "checkpoint to '" + target_dir + "'");
}

void RocksInstance::sync() {
  // One WAL, recovered up to its first torn record (the default
  // kPointInTimeRecovery): the ordered durability JORMUN_CAP_SYNC promises.
  // A read-only database has written nothing.
  std::shared_lock lock(mutex_);
  if (!db_->read_only()) check(db_->db().FlushWAL(/*sync=*/true), "sync");
}

void RocksInstance::control(const std::string& command, const plugin::Options& args,
                            jormun_stat_fn fn, void* ctx) {
  if (command != "flush" && command != "compact") unknown_command(command);
  if (!args.empty())
    throw plugin::Error(
        JORMUN_INVALID_ARGUMENT,
        "rocksdb: " + command + " takes no argument, got " + args[0].first);
  make_writable();
  std::shared_lock lock(mutex_);
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  for (const auto& [key, ks] : keyspaces_) families.push_back(ks->handle);
  if (command == "flush") {
    check(db_->db().Flush(rocksdb::FlushOptions(), families), "flush");
  } else {
    rocksdb::CompactRangeOptions options;
    // Rewrite the last level too: that is where the deleted entries wait.
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (auto* family : families)
      check(db_->db().CompactRange(options, family, nullptr, nullptr), "compact");
  }
  fn(ctx, "keyspaces", std::to_string(families.size()).c_str());
  if (command == "compact") {
    uint64_t sst = 0;
    db_->db().GetAggregatedIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize, &sst);
    fn(ctx, "live_sst_bytes", std::to_string(sst).c_str());
  }
}

void RocksInstance::stats(jormun_stat_fn fn, void* ctx) {
  std::shared_lock lock(mutex_);
  auto property = [this](const std::string& name) {
    uint64_t value = 0;
    db_->db().GetAggregatedIntProperty(name, &value);
    return value;
  };
  auto emit = [&](const char* name, uint64_t value) {
    fn(ctx, name, std::to_string(value).c_str());
  };
  using Properties = rocksdb::DB::Properties;
  uint64_t sst = property(Properties::kLiveSstFilesSize);
  uint64_t memtables = property(Properties::kSizeAllMemTables);
  const size_t keyspaces = keyspaces_.size();
  emit("approximate_size_bytes", sst + memtables);
  emit("estimate_num_keys", property(Properties::kEstimateNumKeys));
  emit("keyspaces", keyspaces);
  emit("live_sst_bytes", sst);
  emit("memtable_bytes", memtables);
  emit("block_cache_usage_bytes", options_.block_cache->GetUsage());
  // Counters (the host's "_total" convention) since the instance opened.
  const rocksdb::Statistics& tickers = *options_.db.statistics;
  emit("block_cache_hits_total", tickers.getTickerCount(rocksdb::BLOCK_CACHE_HIT));
  emit("block_cache_misses_total", tickers.getTickerCount(rocksdb::BLOCK_CACHE_MISS));
  // Compaction debt: what compaction must still rewrite to bring every level
  // under its target size. Writes stall once it passes the soft limit.
  emit("pending_compaction_bytes", property(Properties::kEstimatePendingCompactionBytes));
  emit("running_compactions", property(Properties::kNumRunningCompactions));
  emit("background_errors", property(Properties::kBackgroundErrors));
}

}  // namespace jormun::rocks
