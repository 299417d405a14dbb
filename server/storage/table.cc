#include "storage/table.h"

#include "common/api_error.h"
#include "common/clock.h"
#include "common/guarded.h"
#include "common/log.h"
#include "common/scope_exit.h"
#include "common/stop_wait.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "storage/index_entry.h"
#include "storage/instance_pool.h"
#include "storage/stream_record.h"
#include "storage/write_set.h"

namespace jormun::storage {

namespace {
// Keys a backfill reads per iterator, so that no engine read stays open
// across the writes it makes.
constexpr size_t kBackfillChunk = 256;
// How long a backfill refused for a full disk waits before trying again.
constexpr std::chrono::seconds kBackfillRetry{1};

const IndexSchema* find_in(const TableSchema& schema, std::string_view name) {
  for (const auto& index : schema.indexes)
    if (index.name == name) return &index;
  return nullptr;
}

}  // namespace

namespace {
std::atomic<uint64_t> use_clock{0};
}  // namespace

Table::Table(TableSchema schema, std::unique_ptr<host::Instance> engine)
    : engine_(std::move(engine)) {
  library_ = &engine_->library();
  durable_ = schema.durable;
  syncs_on_request_ = library_->has(JORMUN_CAP_SYNC);
  versions_.push_back(std::make_unique<const TableSchema>(std::move(schema)));
  current_.store(versions_.back().get());
  first_use_done_ = true;
  item_counts_ = std::make_unique<KeyspaceCount>(Counts{});
  const Stats none = zero_stats(this->schema());
  adopt_index_counts(this->schema(), &none);
  std::lock_guard lock(open_mu_);
  open_locked();
}

Table::Table(TableSchema schema, std::shared_ptr<host::Library> library, Opener open,
             InstancePool* pool, FirstUse first_use, std::string counts_dir)
    : library_hold_(std::move(library)),
      opener_(std::move(open)),
      pool_(pool),
      first_use_(std::move(first_use)),
      counts_dir_(std::move(counts_dir)) {
  library_ = library_hold_.get();
  durable_ = schema.durable;
  syncs_on_request_ = library_->has(JORMUN_CAP_SYNC);
  versions_.push_back(std::make_unique<const TableSchema>(std::move(schema)));
  current_.store(versions_.back().get());
  first_use_done_ = !first_use_;
  std::optional<Stats> saved;
  if (counts_dir_.empty()) {
    saved = zero_stats(this->schema());
  } else {
    saved = read_saved_counts(counts_dir_);
    counts_saved_ = saved.has_value();
  }
  item_counts_ = saved ? std::make_unique<KeyspaceCount>(*saved)
                       : KeyspaceCount::unknown({});
  adopt_index_counts(this->schema(), saved ? &*saved : nullptr);
}

void Table::open_locked() {
  // Engines that share syncs among concurrent writers themselves get their
  // writes as they come; the others (one writer at a time, a cost per commit)
  // get every write through the group commit.
  std::unique_ptr<host::Instance> engine = engine_ ? std::move(engine_) : opener_();
  items_ = *engine->keyspace(kItemsKeyspace, true);
  streams_ = *engine->keyspace(kStreamsKeyspace, true);
  engine_ = std::move(engine);
  group_commit_.reset();
  if (!library_->has(JORMUN_CAP_CONCURRENT_SYNC)) group_commit_.emplace(*engine_);
  records_.reset();
  index_keyspaces_.clear();
  const TableSchema& current = schema();
  if (!sequencer_) init_sequencer(current);
  open_index_keyspaces(current);
  open_.store(true);
}

void Table::init_sequencer(const TableSchema& schema) {
  // Sequence numbers go on from the last record written, whatever its
  // stream, so they increase across restarts.
  // Each stream's last record is looked up on its own: the last key of the
  // keyspace may belong to a stream (the change log, or one disabled) whose
  // records stopped before another's.
  uint64_t next = 1;
  std::vector<uint64_t> numbers = {kChangeLogStream};
  for (const StreamSchema& stream : schema.streams) numbers.push_back(stream.number);
  for (uint64_t number : numbers) {
    host::RangeSpec last;
    last.lower = host::Bound{stream_record_key(number, 1), true};
    last.upper = host::Bound{stream_record_key(number + 1, 0), false};
    last.reverse = true;
    host::Iterator it = engine_->iterate(streams_, last);
    std::string_view k, v;
    if (it.next(&k, &v)) next = std::max(next, sequence_of_key(k) + 1);
    // Nor below a number trimmed (a stream may have no record left).
    std::string horizon;
    if (engine_->get(streams_, horizon_key(number), &horizon))
      next = std::max(next, decode_horizon(horizon) + 1);
  }
  sequencer_ = std::make_unique<StreamSequencer>(next);
}

Table::~Table() {
  stop_backfills();
  if (pool_) pool_->closed(this);
  if (engine_ && dirty_.load() && syncs_on_request_) {
    try {
      engine_->sync();
    } catch (const std::exception& e) {
      log::error("sync of table " + schema().name + " at close: " + e.what());
    }
  }
  // After the sync: saved figures never count a write the data may lack.
  if (engine_) save_counts_if_exact();
}

Table::Lease::Lease(Table& table) : table_(&table) {
  if (table.moved_.load()) {
    table_ = nullptr;
    throw TableMoved();
  }
  table.last_used_.store(use_clock.fetch_add(1, std::memory_order_relaxed),
                         std::memory_order_relaxed);
  // Dekker with close_if_idle: it clears open_ then reads users_; this adds
  // to users_ then reads open_. One of the two sees the other.
  table.users_.fetch_add(1);
  if (table.open_.load() && table.first_use_done_.load()) return;
  table.users_.fetch_sub(1);
  try {
    table.acquire_slow();
  } catch (...) {
    table_ = nullptr;
    throw;
  }
}

Table::Lease& Table::Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    release();
    table_ = std::exchange(o.table_, nullptr);
  }
  return *this;
}

void Table::Lease::release() {
  if (table_) table_->users_.fetch_sub(1);
  table_ = nullptr;
}

void Table::acquire_slow() {
  bool opened = false;
  {
    std::lock_guard lock(open_mu_);
    if (!engine_) {
      if (pool_) pool_->before_open(this);
      open_locked();
      opened = true;
    } else {
      open_.store(true);
    }
    users_.fetch_add(1);
  }
  try {
    if (opened && pool_) pool_->opened(shared_from_this());
    run_first_use();
  } catch (...) {
    users_.fetch_sub(1);
    throw;
  }
}

void Table::run_first_use() {
  if (first_use_done_.load()) return;
  std::unique_lock lock(first_use_mu_);
  const auto me = std::this_thread::get_id();
  if (first_use_runner_ == me) return;  // a lease the hook itself takes
  first_use_cv_.wait(lock, [&] {
    return first_use_done_.load() || first_use_runner_ == std::thread::id{};
  });
  if (first_use_done_.load()) return;
  first_use_runner_ = me;
  lock.unlock();
  bool done = false;
  try {
    done = first_use_(*this);
  } catch (...) {
    lock.lock();
    first_use_runner_ = {};
    first_use_cv_.notify_all();
    throw;
  }
  lock.lock();
  first_use_runner_ = {};
  if (done) first_use_done_.store(true);
  first_use_cv_.notify_all();
}

bool Table::close_if_idle() {
  std::unique_lock lock(open_mu_, std::try_to_lock);
  if (!lock.owns_lock() || !engine_ || !opener_) return false;
  open_.store(false);
  if (users_.load() != 0) {
    open_.store(true);
    return false;
  }
  // No lease now, and any new one waits for open_mu_.
  try {
    if (dirty_.exchange(false) && syncs_on_request_) engine_->sync();
  } catch (const std::exception& e) {
    dirty_.store(true);
    open_.store(true);
    log::error("sync of table " + schema().name + " before closing it: " + e.what());
    return false;
  }
  group_commit_.reset();
  records_.reset();
  index_keyspaces_.clear();
  engine_.reset();
  save_counts_if_exact();
  if (pool_) pool_->closed(this);
  return true;
}

uint64_t Table::stream_visible_end() {
  Lease use(*this);
  return sequencer_->visible_end();
}

void Table::open_index_keyspaces(const TableSchema& schema) {
  for (const auto& index : schema.indexes) {
    if (index_keyspaces_.count(index.name)) continue;
    // One being deleted is not made again when its keyspace is gone.
    const bool create = index.state != IndexSchema::State::kDeleting;
    if (auto ks = engine_->keyspace(std::string(kIndexKeyspacePrefix) + index.name, create))
      index_keyspaces_[index.name] = *ks;
  }
}

const IndexSchema* Table::find_index(std::string_view name) const {
  return find_in(schema(), name);
}

TableSchema Table::checkpoint(const std::string& dir, ChangeLogPosition* at, bool held) {
  Lease use(*this);
  // Held shared, the gate keeps schema changes out (they take it
  // exclusively) while writes go on: the copy's indexes are the schema's.
  // Held exclusively, it also waits out every staged write and keeps new
  // ones out, so the copy ends exactly at a change log number.
  std::shared_lock shared(write_gate_, std::defer_lock);
  std::unique_lock exclusive(write_gate_, std::defer_lock);
  if (at) {
    if (!held) exclusive.lock();
    at->end = sequencer_->visible_end();
    at->time_ms = clock::now_ms();
  } else {
    shared.lock();
  }
  TableSchema schema = this->schema();
  engine_->checkpoint(dir);
  return schema;
}

std::unique_lock<std::shared_timed_mutex> Table::hold_writes(std::chrono::milliseconds wait) {
  std::unique_lock gate(write_gate_, std::defer_lock);
  (void)gate.try_lock_for(wait);
  return gate;
}

void Table::set_schema(TableSchema schema) {
  Lease use(*this);
  {
    std::unique_lock gate(write_gate_);
    open_index_keyspaces(schema);
    versions_.push_back(std::make_unique<const TableSchema>(std::move(schema)));
    current_.store(versions_.back().get());
    adopt_index_counts(*current_.load(), nullptr);
  }
}

void Table::drop_index_keyspace(const std::string& name) {
  Lease use(*this);
  std::unique_lock gate(write_gate_);
  auto it = index_keyspaces_.find(name);
  if (it == index_keyspaces_.end()) return;
  engine_->drop(it->second);
  index_keyspaces_.erase(it);
  std::lock_guard lock(counts_mu_);
  index_counts_.erase(name);
}

std::optional<model::Item> Table::get(std::string_view key,
                                      const host::Snapshot* snapshot) {
  Lease use(*this);
  std::string value;
  if (!engine_->get(items_, key, &value, snapshot)) return std::nullopt;
  return model::decode_item(value);
}

bool Table::get_stored(std::string_view key, std::string* stored) {
  Lease use(*this);
  return engine_->get(items_, key, stored);
}

bool Table::lock_order_less(const Table& a, const Table& b) {
  const std::string& an = a.schema().name;
  const std::string& bn = b.schema().name;
  return an != bn ? an < bn : std::less<const Table*>{}(&a, &b);
}

void Table::stage_item(const TableSchema& schema, const std::string& key,
                       const model::Item* old, std::optional<size_t> old_size,
                       const model::Item* item, host::WriteBatch* batch,
                       std::vector<CountChange>* changes) const {
  // Each side of a change counts where its key is (KeyspaceCount::counts_at):
  // an index entry may move to a key a recount has not reached yet.
  auto count = [&](KeyspaceCount* c, std::string_view k, int64_t items, int64_t bytes) {
    if (c->counts_at(k)) changes->push_back({c, items, bytes});
  };
  if (old_size) count(item_counts_.get(), key, -1, -static_cast<int64_t>(*old_size));
  if (item) {
    count(item_counts_.get(), key, 1, static_cast<int64_t>(model::item_size(*item)));
    batch->put(items_, key, model::encode_item(*item));
  } else {
    batch->del(items_, key);
  }
  for (const auto& index : schema.indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    host::Keyspace ks = index_keyspaces_.at(index.name);
    KeyspaceCount* c = index_counts_.at(index.name).get();
    auto old_entry = old ? index_entry(schema, index, *old) : std::nullopt;
    auto new_entry = item ? index_entry(schema, index, *item) : std::nullopt;
    if (old_entry)
      count(c, old_entry->key, -1,
            -static_cast<int64_t>(model::stored_item_size(old_entry->value)));
    if (new_entry)
      count(c, new_entry->key, 1,
            static_cast<int64_t>(model::stored_item_size(new_entry->value)));
    if (old_entry && (!new_entry || old_entry->key != new_entry->key))
      batch->del(ks, std::move(old_entry->key));
    if (new_entry) batch->put(ks, std::move(new_entry->key), std::move(new_entry->value));
  }
}

bool Table::stage_index_entry(const std::string* stored, const std::string& name,
                              host::WriteBatch* batch) {
  const TableSchema& current = schema();
  const IndexSchema* index = find_in(current, name);
  if (!index || index->state != IndexSchema::State::kCreating) return false;
  if (!stored) return true;
  // Not counted: the index's counts are unknown until the backfill is done
  // and recounts them.
  auto entry = index_entry(current, *index, model::decode_item(*stored));
  if (entry)
    batch->put(index_keyspaces_.at(name), std::move(entry->key), std::move(entry->value));
  return true;
}

void Table::commit(host::WriteBatch batch, bool logged) {
  Lease use(*this);
  unsave_counts();
  const bool sync = logged ? syncs_logged() : durable_;
  if (!sync) dirty_.store(true);
  try {
    // A checked batch goes alone: merged into a group, its conflict would
    // fail the other writers' batches too.
    if (group_commit_ && !batch.has_preconditions())
      group_commit_->write(std::move(batch), sync);
    else
      engine_->write(batch, sync);
  } catch (const host::EngineError& e) {
    if (e.status() == JORMUN_CONFLICT) throw WriteConflict();
    if (e.status() != JORMUN_NO_SPACE) throw;
    full_disk_.refuse(schema().name, e);
  }
  full_disk_.written(schema().name);
}

void Table::sync() {
  Lease use(*this);
  dirty_.store(false);
  engine_->sync();
}

void Table::sync_if_open() {
  {
    // A lease only if open: the fast path's check, without opening.
    users_.fetch_add(1);
    if (!open_.load()) {
      users_.fetch_sub(1);
      // Closing synced it, unless close_if_idle is between clearing open_
      // and closing, or gave up: then wait for it under its lock.
      std::lock_guard lock(open_mu_);
      if (!engine_) return;
      users_.fetch_add(1);
    }
  }
  struct Release {
    Table* t;
    ~Release() { t->users_.fetch_sub(1); }
  } release{this};
  dirty_.store(false);
  engine_->sync();
}

void Table::start_backfill(const std::string& name,
                           std::function<void(std::stop_token)> done, BackfillKeep keep,
                           BackfillProgress from) {
  std::lock_guard lock(backfill_mu_);
  if (backfills_stopped_) return;
  auto it = backfills_.find(name);
  if (it != backfills_.end()) {
    it->second.request_stop();
    retired_backfills_.push_back(std::move(it->second));
  }
  // A failed backfill leaves the index CREATING; the next start-up begins
  // it again (Catalog starts a backfill for every CREATING index it opens).
  backfills_[name] =
      std::jthread([this, name, done = std::move(done), keep = std::move(keep),
                    from = std::move(from)](std::stop_token stop) mutable {
        guarded("backfill of index " + name + " of table " + schema().name, [&] {
          std::function<bool(std::stop_token)> keep_counting;
          if (keep) keep_counting = [&](std::stop_token s) { return keep(s, {}); };
          if (backfill(name, stop, std::move(from), keep) &&
              recount_keyspace(name, stop, keep_counting))
            done(stop);
        });
      });
}

void Table::stop_backfills() {
  std::map<std::string, std::jthread> running;
  std::vector<std::jthread> retired;
  {
    std::unique_lock lock(backfill_mu_);
    backfills_stopped_ = true;
    running.swap(backfills_);
    retired.swap(retired_backfills_);
    recounts_cv_.wait(lock, [&] { return recounts_ == 0; });
  }
  // Each jthread requests stop and joins as it is destroyed, here.
}

// The protocol that keeps a backfill exact while writes go on: the index is
// already in the schema (kCreating), so every write staged since then keeps
// its entry right. For each base item, the backfill stages its entry in a
// write set (the item's lock, a re-read) and commits it: a racing write
// either committed before (the re-read sees it) or stages after (and fixes
// the entry itself). Other processes' writers (a cluster) are serialised
// by the re-read's precondition (WriteSet::read): one that wrote the item
// since makes the commit fail and the item be read again. So an entry
// written twice (a backfill taken over, or run again) is the same entry.
//
// A backfill taken over starts after `from`, the last item whose entry the
// front end that held it had committed (keep() is only ever given committed
// progress): the items up to there have their entries, and those written
// since are kept right by every front end's writes, since the backfill read
// its first item only once every live front end had applied the catalog
// version with the index (Catalog::start_backfill_locked).
bool Table::backfill(const std::string& name, std::stop_token stop, BackfillProgress from,
                     const BackfillKeep& keep) {
  BackfillProgress done = std::move(from);
  std::optional<host::Bound> after;
  if (done.items > 0) after = host::Bound{done.last_key, false};
  for (;;) {
    if (keep && !keep(stop, done)) return false;
    std::vector<std::string> keys;
    {
      Lease use(*this);
      host::Iterator it = engine_->iterate(items_, {after, std::nullopt});
      std::string_view k, v;
      while (keys.size() < kBackfillChunk && it.next(&k, &v)) keys.emplace_back(k);
    }
    for (const auto& key : keys) {
      for (;;) {
        if (stop.stop_requested() || (keep && !keep(stop, done))) return false;
        try {
          WriteSet set;
          if (!set.stage_index_entry(*this, key, name)) return false;
          set.commit();
          ++done.items;
          done.last_key = key;
          break;
        } catch (const LockTimeout&) {
          // A write held the item that long: try it again.
        } catch (const WriteConflict&) {
          // Another process wrote the item since it was read: read it again.
        } catch (const ApiError& e) {
          // A full disk: wait for room, as client writes do, by trying again.
          if (e.message() != kDiskFullMessage) throw;
          pause_unless_stopped(kBackfillRetry, stop);
        }
      }
    }
    if (keys.size() < kBackfillChunk) return !stop.stop_requested();
    after = host::Bound{keys.back(), false};
  }
}

std::optional<std::vector<std::pair<std::string, std::string>>>
Table::engine_stats_if_open() {
  // A lease without opening or touching last_used_: the same handshake with
  // close_if_idle as Lease's fast path.
  users_.fetch_add(1);
  ScopeExit release([this] { users_.fetch_sub(1); });
  if (!open_.load()) return std::nullopt;
  return engine_->stats();
}

}  // namespace jormun::storage
