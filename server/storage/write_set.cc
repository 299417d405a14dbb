#include "storage/write_set.h"

#include <algorithm>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "common/clock.h"
#include "common/guarded.h"
#include "common/log.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "storage/change_log.h"
#include "storage/stream_record.h"

namespace jormun::storage {
namespace {

// How long a batch of a logged transaction the engine refused waits before
// it is tried again, and how often the wait is logged.
constexpr std::chrono::milliseconds kRetryPause{100};
constexpr int kRetriesPerLogLine = 300;

}  // namespace

bool WriteSet::precedes(const Table& a, const std::string& ka, const Table& b,
                        const std::string& kb) {
  if (&a != &b) return Table::lock_order_less(a, b);
  return LockManager::stripe(ka) < LockManager::stripe(kb);
}

WriteSet::TableWrites& WriteSet::lock(Table& table, const std::string& key) {
  const size_t stripe = LockManager::stripe(key);
  if (tables_.empty() || tables_.back().table != &table) {
    if (!tables_.empty() && !Table::lock_order_less(*tables_.back().table, table))
      throw std::logic_error("write set: table staged out of lock order");
    // Open before the gate (opening takes the table's keyspaces, which a
    // schema change under the gate also does).
    Table::Lease lease = table.lease();
    // The gate before the stripes: every writer takes them in that order, so
    // a schema change waiting for the gate cannot close a cycle.
    std::shared_lock gate(table.write_gate_, deadline_);
    if (!gate) throw LockTimeout();
    // A migration's switch-over held the gate: it may have moved the table.
    if (table.moved()) throw TableMoved();
    auto guard = table.locks_.lock_stripe(stripe, deadline_);
    if (!guard) throw LockTimeout();
    tables_.push_back(TableWrites{
        std::move(lease), &table, std::move(gate), {}, stripe, {}, {}, key, {}, {}, 0});
    tables_.back().stripes.push_back(std::move(*guard));
    return tables_.back();
  }
  TableWrites& t = tables_.back();
  if (stripe < t.last_stripe)
    throw std::logic_error("write set: key staged out of lock order");
  // Two keys may share a stripe: it is held once.
  if (stripe > t.last_stripe) {
    auto guard = table.locks_.lock_stripe(stripe, deadline_);
    if (!guard) throw LockTimeout();
    t.stripes.push_back(std::move(*guard));
    t.last_stripe = stripe;
  }
  return t;
}

Staged WriteSet::stage(Table& table, const std::string& key, const Mutation& m) {
  TableWrites& t = lock(table, key);
  // The gate is held, so the schema cannot change before commit.
  const TableSchema& schema = table.schema();
  Staged out;
  // Index maintenance and stream records need the old image even when the
  // caller does not. A write that needs nothing old reads only its stored
  // form, for the size the counts lose (no tree: the cost of a point read),
  // and holds the stripe all the same, or it could land between another
  // write's read and its batch.
  const StreamSchema* stream = schema.enabled_stream();
  const bool logged = table.logs_changes(schema);
  const bool read = m.needs_old || !schema.indexes.empty() || stream || logged;
  std::optional<size_t>& old_size = out.old_size;
  if (std::string stored; read) {
    if (read_stored(t, key, &stored)) {
      out.old_item = model::decode_item(stored);
      old_size = model::item_size(*out.old_item);
    }
  } else if (table.get_stored(key, &stored)) {
    old_size = model::stored_item_size(stored);
  }
  const model::Item* old = out.old_item ? &*out.old_item : nullptr;
  out.new_item = m.decide(old);
  // Removing an item that is not there changes nothing.
  if (!old_size && !out.new_item) return out;
  const model::Item* item = out.new_item ? &*out.new_item : nullptr;
  table.stage_item(schema, key, old, old_size, item, &t.batch, &t.counted);
  const int64_t now = clock::now_ms();
  if (stream) {
    if (auto record =
            make_stream_record(schema, stream->view, old, item, m.by_service, now))
      t.batch.put(table.streams_,
                  stream_record_key(stream->number,
                                    table.take_stream_sequence(*stream, t.sequences, now)),
                  encode_stream_record(*record));
  }
  // The change log has no shards: its number needs no roll-over check.
  if (logged) {
    if (auto record = make_stream_record(schema, change_log_stream().view, old, item,
                                         m.by_service, now))
      t.logged.push_back(std::move(*record));
  }
  return out;
}

void WriteSet::seal_change_logs() {
  const auto logging = std::count_if(tables_.begin(), tables_.end(),
                                     [](const TableWrites& t) { return !t.logged.empty(); });
  if (logging == 0) return;
  std::optional<StreamRecord::Transaction> transaction;
  std::unique_lock<std::mutex> order;
  if (logging > 1) {
    static std::mutex across_tables;
    static thread_local std::mt19937_64 ids{std::random_device{}()};
    order = std::unique_lock(across_tables);
    transaction = StreamRecord::Transaction{ids(), static_cast<uint64_t>(logging), {}};
  }
  // Other sets take numbers meanwhile: a group's are not consecutive.
  std::vector<std::vector<uint64_t>> numbers(tables_.size());
  for (size_t k = 0; k < tables_.size(); ++k)
    for (size_t i = 0; i < tables_[k].logged.size(); ++i)
      numbers[k].push_back(tables_[k].sequences.take(*tables_[k].table->sequencer_));
  if (order) order.unlock();  // the numbers are what orders the sets
  if (transaction)
    for (size_t k = 0; k < tables_.size(); ++k)
      if (!numbers[k].empty())
        transaction->parts.push_back({tables_[k].table->schema().id, numbers[k].front()});
  for (size_t k = 0; k < tables_.size(); ++k) {
    TableWrites& t = tables_[k];
    if (t.logged.empty()) continue;
    std::optional<StreamRecord::Group> group;
    if (t.logged.size() > 1 || transaction)
      group = StreamRecord::Group{numbers[k].front(), t.logged.size()};
    for (size_t i = 0; i < t.logged.size(); ++i) {
      t.logged[i].group = group;
      if (transaction) {
        // The parts once, on the group's first record.
        t.logged[i].transaction = transaction;
        if (i > 0) t.logged[i].transaction->parts.clear();
      }
      t.batch.put(t.table->streams_, stream_record_key(kChangeLogStream, numbers[k][i]),
                  encode_stream_record(t.logged[i]));
    }
    t.logged_end = numbers[k].back() + 1;
  }
}

void WriteSet::stage_replica_position(Table& table, uint64_t next) {
  auto staged = std::find_if(tables_.begin(), tables_.end(),
                             [&](const TableWrites& t) { return t.table == &table; });
  TableWrites& t = staged != tables_.end() ? *staged : lock(table, "");
  t.batch.put(table.streams_, replica_position_key(), encode_replica_position(next));
}

bool WriteSet::read(Table& table, const std::string& key, std::string* stored) {
  return read_stored(lock(table, key), key, stored);
}

bool WriteSet::read_stored(TableWrites& t, const std::string& key, std::string* stored) {
  const bool found = t.table->get_stored(key, stored);
  if (t.table->checks_preconditions())
    t.batch.expect(t.table->items_, key,
                   found ? std::optional<std::string>(*stored) : std::nullopt);
  return found;
}

WriteSet::TableWrites& WriteSet::staged(const Table& table, const char* what) {
  for (auto& t : tables_)
    if (t.table == &table) return t;
  throw std::logic_error(std::string("write set: ") + what + " of a table not staged");
}

std::string WriteSet::shared_or_anchored_key(const TableWrites& t, char kind,
                                             std::string_view name) {
  return Table::record_key(t.table->checks_preconditions() ? "" : t.anchor, kind, name);
}

std::string WriteSet::stage_record(Table& table, char kind, std::string_view name,
                                   std::string value) {
  TableWrites& t = staged(table, "record");
  std::string key = shared_or_anchored_key(t, kind, name);
  t.batch.put(*table.records_keyspace(true), key, std::move(value));
  return key;
}

std::optional<std::string> WriteSet::read_record(Table& table, char kind,
                                                 std::string_view name) {
  TableWrites& t = staged(table, "record read");
  if (!table.checks_preconditions()) return std::nullopt;
  const host::Keyspace records = *table.records_keyspace(true);
  const std::string key = shared_or_anchored_key(t, kind, name);
  std::string value;
  std::optional<std::string> seen;
  if (table.engine_->get(records, key, &value)) seen = std::move(value);
  t.batch.expect(records, key, seen);
  return seen;
}

bool WriteSet::stage_index_entry(Table& table, const std::string& key,
                                 const std::string& index) {
  TableWrites& t = lock(table, key);
  std::string stored;
  const bool found = read_stored(t, key, &stored);
  return table.stage_index_entry(found ? &stored : nullptr, index, &t.batch);
}

void WriteSet::commit() {
  seal_change_logs();
  // What a synchronous primary waits for once the locks are released: a
  // follower's copy of each table's last change.
  std::vector<std::pair<std::string, uint64_t>> confirm;
  ReplicationSync* sync = nullptr;
  for (const auto& t : tables_)
    if (!t.logged.empty() && (sync = t.table->replication_sync()))
      confirm.emplace_back(t.table->schema().id, t.logged_end);
  size_t batches = 0, parts = 0;
  for (const auto& t : tables_) {
    batches += !t.batch.empty();
    parts += !t.batch.empty() || t.batch.has_preconditions();
  }
  bool logged = false;
  if (parts > 1 && commit_jointly()) {
    // Written in one engine call, every table's preconditions checked.
  } else if (parts > 1 && !log_) {
    throw NotJoinable();
  } else if (batches > 1) {
    commit_atomically();
    logged = true;
  } else {
    // A table only read needs no engine call: with a log at hand one
    // process owns the tables, and its locks held the items read.
    for (auto& t : tables_)
      if (!t.batch.empty()) {
        t.table->commit(std::move(t.batch));
        count(t);
      }
  }
  tables_.clear();  // releases stripes, then gates, table by table
  if (logged) log_->retire_sealed();
  for (const auto& [table_id, end] : confirm) sync->wait(table_id, end);
}

void WriteSet::check_reads() {
  const auto checked = std::count_if(tables_.begin(), tables_.end(), [](const TableWrites& t) {
    return t.batch.has_preconditions();
  });
  if (checked < 2 || !commit_jointly())
    for (auto& t : tables_)
      if (t.batch.has_preconditions()) t.table->commit(std::move(t.batch));
  tables_.clear();
}

void WriteSet::count(const TableWrites& t) {
  for (const CountChange& c : t.counted) c.count->add(c.items, c.bytes);
}

void WriteSet::write_logged(Table& table, const host::WriteBatch& batch, uint64_t id) {
  for (int attempt = 0;; ++attempt) {
    try {
      table.commit(batch, true);
      return;
    } catch (const std::exception& e) {
      if (attempt % kRetriesPerLogLine == 0)
        log::error("transaction " + std::to_string(id) + " waits to write table " +
                   table.schema().name + ": " + e.what());
      std::this_thread::sleep_for(kRetryPause);
    }
  }
}

bool WriteSet::commit_jointly() {
  std::vector<std::pair<Table*, const host::WriteBatch*>> parts;
  for (const auto& t : tables_)
    if (!t.batch.empty() || t.batch.has_preconditions()) parts.emplace_back(t.table, &t.batch);
  if (!Table::commit_joint(parts)) return false;
  for (const auto& t : tables_) count(t);
  return true;
}

void WriteSet::commit_atomically() {
  std::vector<TransactionLog::Part> parts;
  std::vector<TableWrites*> written;
  for (auto& t : tables_)
    if (!t.batch.empty()) {
      // A logged share must be written whatever happens (write_logged).
      t.batch.drop_preconditions();
      parts.push_back(t.table->log_part(t.batch));
      written.push_back(&t);
    }
  // Each marker is anchored as recovery anchors it: at its part's first key.
  std::vector<std::string> anchors;
  for (const auto& part : parts) anchors.push_back(part.ops.front().key);
  const uint64_t id = log_->begin(std::move(parts));
  for (size_t i = 0; i < written.size(); ++i)
    written[i]->batch.put(*written[i]->table->records_keyspace(true),
                          Table::record_key(anchors[i], TransactionLog::kMarkerKind,
                                            TransactionLog::marker_name(id)),
                          "");
  // A batch its engine syncs goes on a thread of its own, so that the
  // transaction waits for the slowest sync, not their sum; the others are
  // written in turn here, as a thread costs more than an unsynced write.
  {
    std::vector<std::jthread> syncing;
    for (TableWrites* w : written) {
      if (!w->table->syncs_logged()) {
        write_logged(*w->table, w->batch, id);
        count(*w);
        continue;
      }
      syncing.emplace_back([&, w] {
        guarded("transaction " + std::to_string(id), [&] {
          write_logged(*w->table, w->batch, id);
          count(*w);
        });
      });
    }
  }  // joins
  log_->end(id);
}

}  // namespace jormun::storage
