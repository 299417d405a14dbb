#include "storage/table.h"

#include <condition_variable>

#include "common/api_error.h"
#include "common/guarded.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "storage/index_entry.h"
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

Table::Table(TableSchema schema, std::unique_ptr<host::Instance> engine)
    : engine_(std::move(engine)) {
  // Engines that share syncs among concurrent writers themselves get their
  // writes as they come; the others (one writer at a time, a cost per commit)
  // get every write through the group commit.
  durable_ = schema.durable;
  syncs_on_request_ = engine_->library().has(JORMUN_CAP_SYNC);
  if (!engine_->library().has(JORMUN_CAP_CONCURRENT_SYNC)) group_commit_.emplace(*engine_);
  items_ = *engine_->keyspace(kItemsKeyspace, true);
  streams_ = *engine_->keyspace(kStreamsKeyspace, true);
  // Sequence numbers go on from the last record written, whatever its
  // stream, so they increase across restarts.
  uint64_t next = 1;
  {
    host::RangeSpec last;
    last.reverse = true;
    host::Iterator it = engine_->iterate(streams_, last);
    std::string_view k, v;
    // A stream's shards and horizon sort before its records: the last
    // record may be behind those of a later stream without any.
    while (it.next(&k, &v))
      if (!is_stream_meta_key(k)) {
        next = sequence_of_key(k) + 1;
        break;
      }
  }
  // Nor below a number trimmed (a stream may have no record left).
  for (const StreamSchema& stream : schema.streams) {
    std::string horizon;
    if (engine_->get(streams_, horizon_key(stream.number), &horizon))
      next = std::max(next, decode_horizon(horizon) + 1);
  }
  sequencer_ = std::make_unique<StreamSequencer>(next);
  open_index_keyspaces(schema);
  versions_.push_back(std::make_unique<const TableSchema>(std::move(schema)));
  current_.store(versions_.back().get());
}

Table::~Table() { stop_backfills(); }

void Table::open_index_keyspaces(const TableSchema& schema) {
  for (const auto& index : schema.indexes)
    if (!index_keyspaces_.count(index.name))
      index_keyspaces_[index.name] =
          *engine_->keyspace(std::string(kIndexKeyspacePrefix) + index.name, true);
}

const IndexSchema* Table::find_index(std::string_view name) const {
  return find_in(schema(), name);
}

TableSchema Table::checkpoint(const std::string& dir) {
  // Held shared, the gate keeps schema changes out (they take it
  // exclusively) while writes go on: the copy's indexes are the schema's.
  std::shared_lock gate(write_gate_);
  TableSchema schema = this->schema();
  engine_->checkpoint(dir);
  return schema;
}

void Table::set_schema(TableSchema schema) {
  {
    std::unique_lock gate(write_gate_);
    open_index_keyspaces(schema);
    versions_.push_back(std::make_unique<const TableSchema>(std::move(schema)));
    current_.store(versions_.back().get());
  }
  std::lock_guard lock(stats_mu_);
  stats_time_.reset();
}

void Table::drop_index_keyspace(const std::string& name) {
  std::unique_lock gate(write_gate_);
  auto it = index_keyspaces_.find(name);
  if (it == index_keyspaces_.end()) return;
  engine_->drop(it->second);
  index_keyspaces_.erase(it);
}

std::optional<model::Item> Table::get(std::string_view key,
                                      const host::Snapshot* snapshot) {
  std::string value;
  if (!engine_->get(items_, key, &value, snapshot)) return std::nullopt;
  return model::decode_item(value);
}

bool Table::get_stored(std::string_view key, std::string* stored) {
  return engine_->get(items_, key, stored);
}

bool Table::lock_order_less(const Table& a, const Table& b) {
  const std::string& an = a.schema().name;
  const std::string& bn = b.schema().name;
  return an != bn ? an < bn : std::less<const Table*>{}(&a, &b);
}

void Table::stage_item(const TableSchema& schema, const std::string& key,
                       const model::Item* old, const model::Item* item,
                       host::WriteBatch* batch) const {
  if (item)
    batch->put(items_, key, model::encode_item(*item));
  else
    batch->del(items_, key);
  for (const auto& index : schema.indexes) {
    if (index.state == IndexSchema::State::kDeleting) continue;
    host::Keyspace ks = index_keyspaces_.at(index.name);
    auto old_entry = old ? index_entry(schema, index, *old) : std::nullopt;
    auto new_entry = item ? index_entry(schema, index, *item) : std::nullopt;
    if (old_entry && (!new_entry || old_entry->key != new_entry->key))
      batch->del(ks, std::move(old_entry->key));
    if (new_entry) batch->put(ks, std::move(new_entry->key), std::move(new_entry->value));
  }
}

bool Table::stage_index_entry(const std::string& key, const std::string& name,
                              host::WriteBatch* batch) {
  const TableSchema& current = schema();
  const IndexSchema* index = find_in(current, name);
  if (!index || index->state != IndexSchema::State::kCreating) return false;
  auto item = get(key);
  if (!item) return true;
  auto entry = index_entry(current, *index, *item);
  if (entry)
    batch->put(index_keyspaces_.at(name), std::move(entry->key), std::move(entry->value));
  return true;
}

void Table::commit(host::WriteBatch batch, bool logged) {
  const bool sync = logged ? syncs_logged() : durable_;
  try {
    if (group_commit_)
      group_commit_->write(std::move(batch), sync);
    else
      engine_->write(batch, sync);
  } catch (const host::EngineError& e) {
    if (e.status() != JORMUN_NO_SPACE) throw;
    full_disk_.refuse(schema().name, e);
  }
  full_disk_.written(schema().name);
}

std::optional<host::Keyspace> Table::records_keyspace(bool create) {
  std::lock_guard lock(records_mu_);
  if (!records_) records_ = engine_->keyspace(kTransactionsKeyspace, create);
  return records_;
}

TransactionLog::Part Table::log_part(const host::WriteBatch& batch) const {
  TransactionLog::Part part;
  part.table = schema().name;
  part.table_id = schema().id;
  auto name_of = [&](host::Keyspace ks) -> std::string {
    if (ks.handle == items_.handle) return std::string(kItemsKeyspace);
    if (ks.handle == streams_.handle) return std::string(kStreamsKeyspace);
    for (const auto& [index, handle] : index_keyspaces_)
      if (handle.handle == ks.handle) return std::string(kIndexKeyspacePrefix) + index;
    return std::string(kTransactionsKeyspace);
  };
  batch.for_each([&](bool put, host::Keyspace ks, const std::string& key,
                     const std::string& value) {
    part.ops.push_back({put, name_of(ks), key, value});
  });
  return part;
}

std::string Table::record_key(std::string_view anchor, char kind, std::string_view name) {
  std::string key(anchor.substr(0, 8));
  key.resize(8, '\0');
  key.push_back(kind);
  key.append(name);
  return key;
}

bool Table::finish_part(const TransactionLog::Part& part, uint64_t id) {
  if (part.ops.empty()) return false;
  auto records = records_keyspace(true);
  const std::string marker = record_key(part.ops.front().key, TransactionLog::kMarkerKind,
                                        TransactionLog::marker_name(id));
  std::string ignored;
  if (engine_->get(*records, marker, &ignored)) return false;
  host::WriteBatch batch;
  for (const auto& op : part.ops) {
    // An index dropped since has no keyspace any more: its entries go with it.
    auto ks = op.keyspace == kTransactionsKeyspace ? records
                                                   : engine_->keyspace(op.keyspace, false);
    if (!ks) continue;
    if (op.put)
      batch.put(*ks, op.key, op.value);
    else
      batch.del(*ks, op.key);
    // The numbers of records written again are taken: none is handed out twice.
    if (op.keyspace == kStreamsKeyspace) sequencer_->skip_to(sequence_of_key(op.key) + 1);
  }
  batch.put(*records, marker, "");
  engine_->write(batch, true);
  return true;
}

void Table::for_each_record(
    char kind,
    const std::function<void(std::string_view, std::string_view, std::string_view)>& fn) {
  auto records = records_keyspace(false);
  if (!records) return;
  // Records of every kind are spread over the keyspace by their anchors.
  host::Iterator it = engine_->iterate(*records, {});
  std::string_view k, v;
  while (it.next(&k, &v))
    if (k.size() > 8 && k[8] == kind) fn(k, k.substr(9), v);
}

void Table::delete_records(const std::vector<std::string>& keys, bool sync) {
  auto records = records_keyspace(false);
  if (!records || keys.empty()) return;
  host::WriteBatch batch;
  for (const auto& key : keys) batch.del(*records, key);
  engine_->write(batch, sync);
}

void Table::sync() { engine_->sync(); }

void Table::sweep_markers(uint64_t up_to, bool sync) {
  std::vector<std::string> keys;
  for_each_record(TransactionLog::kMarkerKind,
                  [&](std::string_view key, std::string_view name, std::string_view) {
                    if (TransactionLog::marker_id(name) <= up_to) keys.emplace_back(key);
                  });
  delete_records(keys, sync);
}

void Table::start_backfill(const std::string& name,
                           std::function<void(std::stop_token)> done) {
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
      std::jthread([this, name, done = std::move(done)](std::stop_token stop) {
        guarded("backfill of index " + name + " of table " + schema().name, [&] {
          if (backfill(name, stop)) done(stop);
        });
      });
}

void Table::stop_backfills() {
  std::map<std::string, std::jthread> running;
  std::vector<std::jthread> retired;
  {
    std::lock_guard lock(backfill_mu_);
    backfills_stopped_ = true;
    running.swap(backfills_);
    retired.swap(retired_backfills_);
  }
  // Each jthread requests stop and joins as it is destroyed, here.
}

// The protocol that keeps a backfill exact while writes go on: the index is
// already in the schema (kCreating), so every write staged since then keeps
// its entry right. For each base item, the backfill stages its entry in a
// write set (the item's lock, a re-read) and commits it: a racing write
// either committed before (the re-read sees it) or stages after (and fixes
// the entry itself).
bool Table::backfill(const std::string& name, std::stop_token stop) {
  std::optional<host::Bound> after;
  for (;;) {
    std::vector<std::string> keys;
    {
      host::Iterator it = engine_->iterate(items_, {after, std::nullopt});
      std::string_view k, v;
      while (keys.size() < kBackfillChunk && it.next(&k, &v)) keys.emplace_back(k);
    }
    for (const auto& key : keys) {
      for (;;) {
        if (stop.stop_requested()) return false;
        try {
          WriteSet set;
          if (!set.stage_index_entry(*this, key, name)) return false;
          set.commit();
          break;
        } catch (const LockTimeout&) {
          // A write held the item that long: try it again.
        } catch (const ApiError& e) {
          // A full disk: wait for room, as client writes do, by trying again.
          if (e.message() != kDiskFullMessage) throw;
          std::mutex mu;
          std::unique_lock lock(mu);
          std::condition_variable_any().wait_for(lock, stop, kBackfillRetry,
                                                 [] { return false; });
        }
      }
    }
    if (keys.size() < kBackfillChunk) return !stop.stop_requested();
    after = host::Bound{keys.back(), false};
  }
}

const Table::Counts* Table::Stats::index(std::string_view name) const {
  for (const auto& [n, c] : indexes)
    if (n == name) return &c;
  return nullptr;
}

Table::Counts Table::count(host::Keyspace ks) {
  Counts c;
  host::Iterator it = engine_->iterate(ks, {});
  std::string_view k, v;
  while (it.next(&k, &v)) {
    ++c.item_count;
    c.size_bytes += model::item_size(model::decode_item(v));
  }
  return c;
}

Table::Stats Table::stats() {
  std::lock_guard lock(stats_mu_);
  auto now = std::chrono::steady_clock::now();
  if (stats_time_ && now - *stats_time_ < kStatsMaxAge) return stats_;
  Stats s;
  static_cast<Counts&>(s) = count(items_);
  // The gate keeps a concurrent drop_index_keyspace from pulling a keyspace
  // out from under the scan.
  std::shared_lock gate(write_gate_);
  for (const auto& index : schema().indexes)
    if (index.state != IndexSchema::State::kDeleting)
      s.indexes.emplace_back(index.name, count(index_keyspaces_.at(index.name)));
  stats_ = s;
  stats_time_ = now;
  return s;
}

Table::Stats Table::cached_stats() {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

}  // namespace jormun::storage
