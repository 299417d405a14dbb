#include "instance.h"

#include <rocksdb/statistics.h>
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>
#include <mutex>
#include <vector>

#include "column_family_name.h"
#include "iterator.h"
#include "logger.h"
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
  std::unique_ptr<RocksInstance> instance(new RocksInstance(config));
  instance->open_db(data_dir, host);
  return instance;
}

RocksInstance::RocksInstance(const Config& config)
    : config_(config), options_(make_db_options(config)) {}

void RocksInstance::open_db(const std::string& data_dir, const plugin::Host& host) {
  std::vector<std::string> names{rocksdb::kDefaultColumnFamilyName};
  if (std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT"))
    check(rocksdb::DB::ListColumnFamilies(options_.db, data_dir, &names),
          "list column families of '" + data_dir + "'");
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) {
    if (name != rocksdb::kDefaultColumnFamilyName && !keyspace_for(name))
      throw plugin::Error(JORMUN_CORRUPTION, "rocksdb: column family '" + name +
                                                 "' in '" + data_dir +
                                                 "' is not a jormun keyspace");
    descriptors.emplace_back(name, options_.column_family);
  }

  rocksdb::DBOptions db_options = options_.db;
  db_options.info_log = std::make_shared<HostLogger>(data_dir, host);
  db_options.listeners.push_back(std::make_shared<BackgroundErrorReporter>(data_dir, host));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, data_dir, descriptors, &handles, &db);
  // Another process (or instance) holding the LOCK file is the transient
  // case JORMUN_BUSY names; RocksDB reports it as a plain IOError.
  if (s.IsIOError() && s.ToString().find("/LOCK") != std::string::npos)
    throw plugin::Error(JORMUN_BUSY,
                        "rocksdb: '" + data_dir + "' is in use: " + s.ToString());
  check(s, "open '" + data_dir + "'");
  db_.reset(db);
  for (size_t i = 0; i < handles.size(); ++i) {
    if (names[i] == rocksdb::kDefaultColumnFamilyName) {
      default_column_family_ = handles[i];
      continue;
    }
    auto ks = std::make_unique<RocksKeyspace>(*keyspace_for(names[i]), handles[i]);
    keyspaces_.emplace(ks.get(), std::move(ks));
  }
}

RocksInstance::~RocksInstance() {
  if (!db_) return;
  // Makes unsynced writes durable too: "flushed as far as the engine can".
  db_->SyncWAL();
  for (auto& [key, ks] : keyspaces_) db_->DestroyColumnFamilyHandle(ks->handle);
  if (default_column_family_ != nullptr)
    db_->DestroyColumnFamilyHandle(default_column_family_);
  db_->Close();
}

RocksKeyspace* RocksInstance::find(std::string_view name) const {
  for (const auto& [key, ks] : keyspaces_)
    if (ks->name == name) return ks.get();
  return nullptr;
}

rocksdb::ColumnFamilyHandle* RocksInstance::column_family(
    const plugin::Keyspace* keyspace) const {
  auto it = keyspaces_.find(keyspace);
  if (it == keyspaces_.end())
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "rocksdb: keyspace handle does not belong to this instance");
  return it->second->handle;
}

const rocksdb::Snapshot* RocksInstance::snapshot_of(
    const plugin::Snapshot* snapshot) const {
  if (snapshot == nullptr) return nullptr;
  auto* ours = static_cast<const RocksSnapshot*>(snapshot);
  if (ours->owner != this)
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "rocksdb: snapshot does not belong to this instance");
  return ours->snapshot;
}

plugin::Keyspace* RocksInstance::keyspace_open(std::string_view name, bool create) {
  {
    std::shared_lock lock(mutex_);
    if (RocksKeyspace* ks = find(name)) return ks;
  }
  if (!create) return nullptr;
  std::unique_lock lock(mutex_);
  if (RocksKeyspace* ks = find(name)) return ks;
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  check(db_->CreateColumnFamily(options_.column_family, column_family_for(name), &handle),
        "create keyspace");
  auto ks = std::make_unique<RocksKeyspace>(std::string(name), handle);
  RocksKeyspace* raw = ks.get();
  keyspaces_.emplace(raw, std::move(ks));
  return raw;
}

void RocksInstance::keyspace_drop(plugin::Keyspace* keyspace) {
  std::unique_lock lock(mutex_);
  rocksdb::ColumnFamilyHandle* handle = column_family(keyspace);
  check(db_->DropColumnFamily(handle), "drop keyspace");
  db_->DestroyColumnFamilyHandle(handle);
  keyspaces_.erase(keyspace);
}

bool RocksInstance::get(plugin::Keyspace* keyspace, const plugin::Snapshot* snapshot,
                        std::string_view key, jormun_value_fn fn, void* ctx) {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot_of(snapshot);
  rocksdb::PinnableSlice value;
  std::shared_lock lock(mutex_);
  rocksdb::Status s = db_->Get(read, column_family(keyspace), slice(key), &value);
  if (s.IsNotFound()) return false;
  check(s, "get");
  fn(ctx, reinterpret_cast<const uint8_t*>(value.data()), value.size());
  return true;
}

void RocksInstance::write(const jormun_write_op* ops, size_t count, bool sync) {
  if (count == 0) return;
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
  check(db_->Write(options, &batch), "write");
}

std::unique_ptr<plugin::Iterator> RocksInstance::iterate(plugin::Keyspace* keyspace,
                                                         const plugin::Range& range) {
  const rocksdb::Snapshot* snapshot = snapshot_of(range.snapshot);
  std::shared_lock lock(mutex_);
  return std::make_unique<RocksIterator>(db_.get(), column_family(keyspace), snapshot,
                                         range);
}

plugin::Snapshot* RocksInstance::snapshot_acquire() {
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  if (snapshot == nullptr)
    throw plugin::Error(JORMUN_INTERNAL, "rocksdb: could not take a snapshot");
  try {
    return new RocksSnapshot(this, snapshot);
  } catch (...) {
    db_->ReleaseSnapshot(snapshot);
    throw;
  }
}

void RocksInstance::snapshot_release(plugin::Snapshot* snapshot) {
  db_->ReleaseSnapshot(snapshot_of(snapshot));
  delete snapshot;
}

void RocksInstance::checkpoint(const std::string& target_dir) {
  rocksdb::Checkpoint* raw = nullptr;
  check(rocksdb::Checkpoint::Create(db_.get(), &raw), "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  check(checkpoint->CreateCheckpoint(target_dir), "checkpoint to '" + target_dir + "'");
}

void RocksInstance::sync() {
  // One WAL, recovered up to its first torn record (the default
  // kPointInTimeRecovery): the ordered durability JORMUN_CAP_SYNC promises.
  check(db_->FlushWAL(/*sync=*/true), "sync");
}

void RocksInstance::control(const std::string& command, const plugin::Options& args,
                            jormun_stat_fn fn, void* ctx) {
  if (command != "flush" && command != "compact") unknown_command(command);
  if (!args.empty())
    throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                        "rocksdb: " + command + " takes no argument, got " + args[0].first);
  std::shared_lock lock(mutex_);
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  for (const auto& [key, ks] : keyspaces_) families.push_back(ks->handle);
  if (command == "flush") {
    check(db_->Flush(rocksdb::FlushOptions(), families), "flush");
  } else {
    rocksdb::CompactRangeOptions options;
    // Rewrite the last level too: that is where the deleted entries wait.
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (auto* family : families)
      check(db_->CompactRange(options, family, nullptr, nullptr), "compact");
  }
  fn(ctx, "keyspaces", std::to_string(families.size()).c_str());
  if (command == "compact") {
    uint64_t sst = 0;
    db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize, &sst);
    fn(ctx, "live_sst_bytes", std::to_string(sst).c_str());
  }
}

void RocksInstance::stats(jormun_stat_fn fn, void* ctx) {
  auto property = [this](const std::string& name) {
    uint64_t value = 0;
    db_->GetAggregatedIntProperty(name, &value);
    return value;
  };
  auto emit = [&](const char* name, uint64_t value) {
    fn(ctx, name, std::to_string(value).c_str());
  };
  using Properties = rocksdb::DB::Properties;
  uint64_t sst = property(Properties::kLiveSstFilesSize);
  uint64_t memtables = property(Properties::kSizeAllMemTables);
  size_t keyspaces = 0;
  {
    std::shared_lock lock(mutex_);
    keyspaces = keyspaces_.size();
  }
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
