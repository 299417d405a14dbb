#include "partition.h"

#include <jormun/engine.h>

#include "schema.h"

namespace jormun::sqlite {

ReaderLease::~ReaderLease() {
  if (conn_) owner_->give_back(std::move(conn_));
}

Partition::Partition(std::string path, bool create, int synchronous, int busy_timeout_ms,
                     int64_t mmap_bytes)
    : path_(std::move(path)),
      synchronous_(synchronous),
      busy_timeout_ms_(busy_timeout_ms),
      mmap_bytes_(mmap_bytes),
      writer_(path_, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
              busy_timeout_ms) {
  // Only a new file takes it: SQLite fixes a file's page size when it writes
  // the first page (in WAL mode for good), so existing files keep theirs.
  if (create) writer_.exec(kPartitionPageSize);
  writer_.enable_wal();
  writer_.set_synchronous(synchronous_);
  writer_.set_mmap_size(mmap_bytes_);
  writer_.exec(kPartitionSchema);
  put_ = writer_.prepare(
      "INSERT OR REPLACE INTO entries (ks, key, value) VALUES (?1, ?2, ?3)");
  delete_ = writer_.prepare("DELETE FROM entries WHERE ks = ?1 AND key = ?2");
  erase_keyspace_ = writer_.prepare("DELETE FROM entries WHERE ks = ?1");
  set_mark_ =
      writer_.prepare("INSERT OR REPLACE INTO intent_mark (id, seq) VALUES (0, ?1)");
  get_mark_ = writer_.prepare("SELECT seq FROM intent_mark WHERE id = 0");
  get_ = writer_.prepare("SELECT value FROM entries WHERE ks = ?1 AND key = ?2");
}

std::optional<bool> Partition::get_if_writer_idle(int64_t keyspace, std::string_view key,
                                                  jormun_value_fn fn, void* ctx) {
  std::unique_lock writer(write_mutex_, std::try_to_lock);
  if (!writer) return std::nullopt;
  return point_get(*get_, keyspace, key, fn, ctx);
}

ReaderLease Partition::lease_reader() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(conn));
    }
  }
  // Opening a connection touches the disk; do it outside the pool lock.
  return ReaderLease(
      this, std::make_unique<ReadConnection>(path_, busy_timeout_ms_, mmap_bytes_));
}

void Partition::give_back(std::unique_ptr<ReadConnection> conn) {
  std::lock_guard lock(pool_mutex_);
  idle_readers_.push_back(std::move(conn));
}

void Partition::apply_each(std::span<const Mutation> ops) {
  for (const Mutation& op : ops) {
    if (op.kind == JORMUN_OP_PUT)
      put_->bind(1, op.keyspace).bind(2, op.key).bind(3, op.value).execute();
    else
      delete_->bind(1, op.keyspace).bind(2, op.key).execute();
  }
}

void Partition::apply(std::span<const Mutation> ops, int64_t intent_seq, bool sync) {
  // A synced batch gets an fsynced commit whatever the configured level.
  SynchronousScope level(writer_, sync ? 2 : synchronous_, synchronous_);
  Transaction txn(writer_);
  apply_each(ops);
  if (intent_seq > 0) set_mark_->bind(1, intent_seq).execute();
  txn.commit();
}

void Partition::apply_synced(std::span<const Mutation> ops,
                             const std::function<void()>& writable) {
  synced_writes_.submit(ops, [&](std::vector<std::span<const Mutation>*>& group) {
    std::lock_guard writer(write_mutex_);
    writable();
    SynchronousScope level(writer_, 2, synchronous_);
    Transaction txn(writer_);
    for (const auto* batch : group) apply_each(*batch);
    txn.commit();
  });
}

int64_t Partition::intent_mark() {
  ResetOnExit reset(*get_mark_);
  return get_mark_->step() ? get_mark_->integer(0) : 0;
}

void Partition::erase_keyspace(int64_t keyspace) {
  erase_keyspace_->bind(1, keyspace).execute();
}

PageCache Partition::page_cache() {
  PageCache writer;
  {
    std::lock_guard lock(write_mutex_);
    writer = writer_.take_page_cache();
  }
  std::lock_guard lock(pool_mutex_);
  PageCache out;
  auto count = [this, &out](const PageCache& c) {
    counted_.hits += c.hits;
    counted_.misses += c.misses;
    out.used_bytes += c.used_bytes;
  };
  count(writer);
  for (auto& reader : idle_readers_) count(reader->take_page_cache());
  out.hits = counted_.hits;
  out.misses = counted_.misses;
  return out;
}

void Partition::backup_to(const std::string& dest_path) {
  writer_.backup_to(dest_path, busy_timeout_ms_);
}

}  // namespace jormun::sqlite
