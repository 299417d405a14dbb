// An open table: its schema, its engine instance and the keyspaces in it.
//
// The table's base items, its secondary indexes and its stream records live
// in keyspaces of one engine instance ("items", "index:<name>", "streams"),
// so an item, its index entries and its change record are one atomic batch.
// Thread-safe: many requests use one Table at once.
//
// Writes go through storage::WriteSet (storage/write_set.h), which stages
// them under the Table's locks and commits one batch per table.
//
// Schema changes (UpdateTable) install a new immutable TableSchema version.
// Every version stays alive until the Table is destroyed, so the references
// schema() and find_index() hand out remain valid for the Table's lifetime;
// a caller sees the version that was current when it asked. Installing a
// version waits for write sets holding staged writes of the table, so each
// write maintains the indexes of exactly one version.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <jormun/engine.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "model/attribute_value.h"
#include "storage/change_log.h"
#include "storage/replication_sync.h"
#include "storage/full_disk.h"
#include "storage/group_commit.h"
#include "storage/lock_manager.h"
#include "storage/page_read.h"
#include "storage/stream_sequencer.h"
#include "storage/stream_shards.h"
#include "storage/table_counts.h"
#include "storage/table_schema.h"
#include "storage/transaction_log.h"

namespace jormun::storage {

class InstancePool;

// The table was migrated to another engine (Catalog::migrate) after the
// request found it: nothing was done, and the request runs again on the
// table the catalog now lists (api::Service does).
struct TableMoved : std::runtime_error {
  TableMoved() : std::runtime_error("the table moved to another engine") {}
};

// How far a GSI backfill has come: the number of base items, in key order,
// whose index entries it has committed, and the key of the last (empty
// when none). A backfill given one goes on after that key.
struct BackfillProgress {
  uint64_t items = 0;
  std::string last_key;
};

class Table : public std::enable_shared_from_this<Table> {
 public:
  // Opens (creating if needed) the keyspaces of `schema` in `engine`, which
  // stays open for the table's lifetime. Its item counts start at zero and
  // are not saved: for a fresh table (tests).
  Table(TableSchema schema, std::unique_ptr<host::Instance> engine);
  // Opens a fresh instance of the table, each time it is needed.
  using Opener = std::function<std::unique_ptr<host::Instance>()>;
  // Called once per run, on the table's first use, with a lease held (the
  // catalog sweeps old transaction markers and loads tokens); returns false
  // when it should run again at the next use instead. May throw (then it
  // runs again too).
  using FirstUse = std::function<bool(Table&)>;
  // A table that opens lazily through `open`, in `library`, and that
  // `pool` (outliving the table; may be null) may close when idle. Must be
  // owned by a shared_ptr. Its item counts are those saved in folder
  // `counts_dir` (storage/table_counts.h), saved there again as it closes;
  // without saved ones they are unknown until recount(). Without a
  // `counts_dir` they start at zero in each run and are never saved: a
  // cluster's front end counts what its own writes change
  // (storage/cluster_counts.h).
  Table(TableSchema schema, std::shared_ptr<host::Library> library, Opener open,
        InstancePool* pool, FirstUse first_use = {}, std::string counts_dir = {});
  // Stops running backfills and waits for them, then closes the instance.
  ~Table();

  // Keeps the engine instance open while alive, opening it first when
  // closed. Cheap when open (two atomic operations). Movable.
  class Lease {
   public:
    Lease() = default;
    explicit Lease(Table& table);
    Lease(Lease&& o) noexcept : table_(std::exchange(o.table_, nullptr)) {}
    Lease& operator=(Lease&& o) noexcept;
    ~Lease() { release(); }

   private:
    void release();
    Table* table_ = nullptr;
  };
  // A lease of this table; throws host::EngineError when it cannot open.
  Lease lease() { return Lease(*this); }
  // Closes the engine instance when no lease holds it and the table can
  // open again (it has an Opener); true when it closed. Syncs first what
  // was written unsynced on an engine that syncs on request, so closing
  // loses nothing a sync would have kept.
  bool close_if_idle();
  // Whether the instance is open now (a hint: it may change at once).
  bool is_open() const { return open_.load(); }
  // When the table was last leased (a tick of a process-wide counter).
  uint64_t last_used() const { return last_used_.load(std::memory_order_relaxed); }

  // The keyspace of base items, and the prefix of an index's keyspace name
  // ("index:" + its name). DO NOT CHANGE: they are on disk.
  static constexpr std::string_view kItemsKeyspace = "items";
  static constexpr std::string_view kIndexKeyspacePrefix = "index:";

  // The current schema version (see the class comment for its lifetime).
  const TableSchema& schema() const { return *current_.load(); }
  // The engine plugin the table lives in (for its name and version).
  const host::Library& engine_library() const { return *library_; }
  // Whether every write waits for a commit shared with concurrent writers
  // (storage/group_commit.h): true for a durable table, and for every table
  // of an engine that commits one writer at a time. Such writes are worth
  // running where many can wait at once (ops/durability.h).
  bool writes_wait_for_group() const { return durable_ || group_commit_.has_value(); }
  // Whether the engine checks a batch's preconditions
  // (JORMUN_CAP_PRECONDITIONS): write sets then attach, to each batch, the
  // stored form of every item they read, so that a write another process
  // made meanwhile is a WriteConflict instead of a lost update.
  bool checks_preconditions() const { return library_->has(JORMUN_CAP_PRECONDITIONS); }

  // The index of that name in the current schema, or null. Check
  // IndexSchema::queryable() before reading it.
  const IndexSchema* find_index(std::string_view name) const;

  // Installs `schema` as the current version: opens the keyspaces of indexes
  // it adds and starts their counts. Does not drop keyspaces; see
  // drop_index_keyspace. Waits for write sets holding staged writes.
  void set_schema(TableSchema schema);
  // Writes a consistent copy of the engine instance (its checkpoint, with
  // hard links where the engine makes them) to `dir`, which must not exist,
  // while writes go on, and returns the schema version the copy matches: no
  // schema change is installed meanwhile. With `at`, writes wait while the
  // checkpoint is taken instead, and `at` gets where it stands in the change
  // log (storage/change_log.h); with `held` as well, the caller holds the
  // writes already (hold_writes: several tables' checkpoints of one moment).
  // Throws host::EngineError.
  TableSchema checkpoint(const std::string& dir, ChangeLogPosition* at = nullptr,
                         bool held = false);
  // Keeps every write out while held (an engine migration's switch-over):
  // waits for write sets holding staged writes, up to `wait`; an empty lock
  // when they did not end in time.
  std::unique_lock<std::shared_timed_mutex> hold_writes(std::chrono::milliseconds wait);
  // Marks the table moved to another engine: from now on a lease, and a
  // write set that reaches the table, throw TableMoved. Call with the
  // writes held (hold_writes), once the catalog lists the new table.
  void mark_moved() { moved_.store(true); }
  bool moved() const { return moved_.load(); }

  // Makes every write of the table add a change log record, whatever its
  // schema says (a primary's replication log: config replication.log), and,
  // with `sync`, wait for a follower's copy (storage/replication_sync.h).
  // Call before the table is shared.
  void log_every_change(ReplicationSync* sync) {
    logs_every_change_ = true;
    replication_sync_ = sync;
  }
  // Whether a write under `schema` adds a change log record.
  bool logs_changes(const TableSchema& schema) const {
    return logs_every_change_ || change_log_enabled(schema);
  }
  ReplicationSync* replication_sync() const { return replication_sync_; }
  // A read replica's table: the next change of its primary's change log to
  // apply (WriteSet::stage_replica_position), or nullopt when none was
  // recorded. Throws host::EngineError.
  std::optional<uint64_t> replica_position();

  // Drops the keyspace of an index that the current schema marks kDeleting
  // (so no write touches it any more).
  void drop_index_keyspace(const std::string& name);

  // The item stored under an engine key, or nullopt.
  std::optional<model::Item> get(std::string_view key,
                                 const host::Snapshot* snapshot = nullptr);
  // The same item in its stored form (model/item_codec.h), for a reader
  // that does not need the tree; false when absent.
  bool get_stored(std::string_view key, std::string* stored);

  // Called with the stored form (model/item_codec.h) of each item a page
  // reads, in key order; returns the item's size in DynamoDB's measure,
  // which counts towards the page's 1 MB. The view lives until it returns.
  using ItemVisitor = std::function<size_t(std::string_view stored)>;
  // Reads one page of `spec`'s keyspace (storage/page_read.h). An index
  // deleted since the caller found it is "The table does not have the
  // specified index: <name>" (ValidationException), before any visit.
  PageRead read_page(const PageSpec& spec, const ItemVisitor& visit);
  // The size of the item collection of `partition_value`, in DynamoDB's
  // measure: its items plus their entries in every local secondary index
  // (ItemCollectionMetrics). Reads all of them.
  uint64_t collection_bytes(const model::AttributeValue& partition_value);

  // Starts filling index `name` (kCreating in the current schema) from the
  // base items on a background thread, after the last item of `from` (from
  // the first when it has none). An earlier backfill of that name (of an
  // index since deleted) is asked to stop but not waited for, so this may
  // be called under locks its completion takes. Calls `done` from the thread
  // once every item has its entry, with the thread's stop token: `done` must
  // recheck it under the lock it serialises start_backfill with, since a stop
  // may be requested while it waits for that lock. `keep`, when set, is
  // called from the thread with its stop token and the progress made so far
  // (`from` and the items whose entries it has committed since; none during
  // the recount) before the scan of each chunk of items, before each item
  // and before each chunk of the recount that follows: false gives the
  // backfill up (a cluster's front end that lost its lease on it,
  // storage/backfill_lease.h); what it throws ends it.
  using BackfillKeep = std::function<bool(std::stop_token, const BackfillProgress&)>;
  void start_backfill(const std::string& name, std::function<void(std::stop_token)> done,
                      BackfillKeep keep = {}, BackfillProgress from = {});
  // Stops all backfills and recounts and waits for them; later ones are
  // refused.
  void stop_backfills();

  // The keyspace beside the items where the transaction machinery keeps its
  // records: markers of transactions over several tables
  // (storage/transaction_log.h) and ClientRequestTokens
  // (storage/transaction_tokens.h). Opened when first needed.
  // DO NOT CHANGE: it is on disk.
  static constexpr std::string_view kTransactionsKeyspace = "transactions";

  // A record's key: the first 8 bytes of `anchor` (an item or index key of
  // the batch the record goes with), the kind, the name. Engines that split
  // a keyspace by key prefix (SQLite's partition files) then keep the record
  // in the same part as the batch's items, so it adds no second file to the
  // commit.
  static std::string record_key(std::string_view anchor, char kind, std::string_view name);

  // Recovery, before any request: writes this table's `part` of
  // transaction `id` again (synced), unless its marker shows it written;
  // true when it wrote.
  bool finish_part(const TransactionLog::Part& part, uint64_t id);
  // Calls fn(key, name, value) for each record of `kind`.
  void for_each_record(
      char kind,
      const std::function<void(std::string_view, std::string_view, std::string_view)>& fn);
  // Deletes records by key; synced with `sync`.
  void delete_records(const std::vector<std::string>& keys, bool sync);
  // Deletes the markers of every transaction up to `up_to`.
  void sweep_markers(uint64_t up_to, bool sync);
  // Makes every write made so far durable, where the engine can do it on
  // request (JORMUN_CAP_SYNC); its logged shares were synced where it
  // cannot (commit), so there is nothing to do then.
  void sync();
  // sync(), but a closed table is left as it is: closing synced it.
  void sync_if_open();

  // Stream records (storage/stream_record.h) of stream `stream` numbered
  // `from` up to `to` (exclusive), in order, each as visit(sequence, stored
  // value) until it returns false. Stops below the first record still in
  // flight (StreamSequencer), so a reader never skips one committed later.
  // (table_streams.cc holds these stream methods.)
  void read_stream(uint64_t stream, uint64_t from, uint64_t to,
                   const std::function<bool(uint64_t, std::string_view)>& visit);
  // The numbers of the first and last visible records of `stream` numbered
  // `from` up to `to` (exclusive); nullopt when it has none there.
  struct StreamBounds {
    uint64_t first = 0;
    uint64_t last = 0;
  };
  std::optional<StreamBounds> stream_bounds(uint64_t stream, uint64_t from, uint64_t to);
  // Every record numbered below this is visible (committed) or never will be.
  uint64_t stream_visible_end();

  // The shards of `stream` in order (storage/stream_shards.h) and its trim
  // horizon, the last sequence number trimmed (0: none).
  struct StreamShards {
    std::vector<StreamShard> shards;
    uint64_t horizon = 0;
  };
  StreamShards stream_shards(const StreamSchema& stream);
  // A sequence number for a record of enabled stream `stream` staged at
  // `now_ms` (the server clock), held by `hold`. When the stream's last
  // shard is kShardLifetimeMs old, a new one starts at this number: its key
  // is written (synced on a durable table) before the number is handed out.
  uint64_t take_stream_sequence(const StreamSchema& stream, SequenceHold& hold,
                                int64_t now_ms);
  // Deletes the oldest visible records of `stream` staged before
  // `cutoff_ms` or numbered below `below`, at most `max`, and moves its
  // horizon past them in the same batch; returns how many it deleted.
  size_t trim_stream(const StreamSchema& stream, int64_t cutoff_ms, size_t max,
                     uint64_t below = 0);

  // ItemCount and TableSizeBytes for DescribeTable, for the table and each
  // index not being deleted, kept with the writes (storage/table_counts.h):
  // exact once every write staged so far has committed, and read without a
  // scan and without opening the table. Figures being recounted are the
  // last ones known (zeros when none); those of an index being created are
  // its last known ones until its backfill is done.
  using Counts = storage::Counts;
  using Stats = storage::Stats;
  Stats stats() const;
  // The figures as net() gives them (storage/table_counts.h): the table's,
  // and each index's whose figures are exact.
  NetStats net_stats() const;
  // Whether some figures are unknown (and not an index being created's,
  // which its backfill recounts).
  bool needs_recount() const;
  // Recounts, by scans, the figures needs_recount() finds unknown, while
  // writes go on; false when stopped (by `stop` or stop_backfills) first.
  // Throws what the engine throws, and std::runtime_error on an entry that
  // is not an item.
  bool recount(std::stop_token stop);

  // The engine instance's own statistics (name/value pairs, engine-specific;
  // see jormun_engine_api::stats), or nullopt while the instance is closed:
  // a scrape neither opens a table nor counts as a use that keeps it open.
  // Throws host::EngineError when the engine fails.
  std::optional<std::vector<std::pair<std::string, std::string>>> engine_stats_if_open();

 private:
  friend class WriteSet;
  friend class TableTestPeer;  // raw engine access for tests

  // Lease's slow path: opens the instance when closed and runs first_use_.
  void acquire_slow();
  // Opens the instance and takes its keyspace handles. REQUIRES: open_mu_
  // held, the instance closed.
  void open_locked();
  // Runs first_use_ unless done (or running in this thread).
  void run_first_use();
  // Reads where stream sequence numbers go on from. REQUIRES: open.
  void init_sequencer(const TableSchema& schema);

  // The global order write sets lock tables in: by name, then (for a table
  // dropped and re-created while a request still holds the old one) by
  // address.
  static bool lock_order_less(const Table& a, const Table& b);
  void open_index_keyspaces(const TableSchema& schema);
  // Adds to `batch` the write of `item` under `key` (nullptr deletes it) and
  // the change of its index entries in `schema`, given the stored `old`
  // (nullptr when absent): the old entry is deleted when its key changes, the
  // new one written; and to `changes` what that does to the counts, given
  // `old_size`, the stored item's size (nullopt when absent).
  // REQUIRES: write_gate_ held, `schema` the current one, and `old` and
  // `old_size` read under the item's lock (`old` when `schema` has indexes).
  void stage_item(const TableSchema& schema, const std::string& key,
                  const model::Item* old, std::optional<size_t> old_size,
                  const model::Item* item, host::WriteBatch* batch,
                  std::vector<CountChange>* changes) const;
  // Adds to `batch` the entry in index `name` of the item `stored` (its
  // stored form as read under its lock; null when absent; none when not
  // indexed); false when the index is not kCreating.
  // REQUIRES: write_gate_ held and the item's stripe.
  bool stage_index_entry(const std::string* stored, const std::string& name,
                         host::WriteBatch* batch);
  // Writes the entry of every base item after `from` into index `name`;
  // false when stopped, when `keep` (if set; called before each chunk's
  // scan and each item) says no, or when the index stopped being kCreating.
  // A full disk pauses it until writes succeed again.
  bool backfill(const std::string& name, std::stop_token stop, BackfillProgress from,
                const BackfillKeep& keep);
  // The counts of index `index`, or of the items when empty; null when the
  // index has none. REQUIRES: write_gate_ held.
  KeyspaceCount* keyspace_count(const std::string& index) const;
  // Recounts `index` (the items when empty) by a scan in chunks, each under
  // write_gate_ held exclusively; false when stopped first, or when `keep`
  // (if set; called before each chunk) says no.
  bool recount_keyspace(const std::string& index, std::stop_token stop,
                        const std::function<bool(std::stop_token)>& keep = {});
  // Starts counts for the indexes of `schema` that have none (unknown ones
  // for an index being created; exact ones from `saved` when given and
  // the index is not) and ends those of indexes it deletes or drops.
  // REQUIRES: write_gate_ held exclusively, or no other user yet.
  void adopt_index_counts(const TableSchema& schema, const Stats* saved);
  // Marks every figure unknown (a write that did not count went in).
  void forget_counts();
  // Removes the saved figures before a write that changes what they count.
  void unsave_counts();
  // Saves the figures when they are exact and not saved yet, as the table
  // closes. Never throws (a failure is logged: they are recounted then).
  void save_counts_if_exact() noexcept;
  // Writes `batch`; synced on a durable table, through the group commit when
  // the engine does not share commits among writers itself. A `logged` batch is a share of a
  // transaction whose intent the log holds durably, and is synced only where
  // the engine cannot sync later, on request (TransactionLog says why that is
  // safe). A full disk is an ApiError (full_disk.h); a precondition of the
  // batch that no longer holds is a WriteConflict (write_set.h), nothing
  // written.
  void commit(host::WriteBatch batch, bool logged = false);
  // Whether commit() syncs a `logged` batch.
  bool syncs_logged() const { return !syncs_on_request_; }
  // Writes each part's batch to its table as one atomic engine call
  // (host::Instance::write_joint), every batch's preconditions checked
  // with it: true when written. False, writing nothing, when the tables'
  // engine cannot write them together (a plugin without
  // JORMUN_CAP_JOINT_WRITES, tables of different engines, or instances it
  // declines). A precondition that no longer holds is a WriteConflict and
  // a full disk an ApiError, nothing written, as for commit(). Synced when
  // one of the tables is durable. table_joint.cc.
  // REQUIRES: two parts or more, each table once, each leased.
  static bool commit_joint(const std::vector<std::pair<Table*, const host::WriteBatch*>>& parts);
  // kTransactionsKeyspace, opened (and created with `create`) on first use;
  // nullopt when absent and not created.
  std::optional<host::Keyspace> records_keyspace(bool create);
  // The shards and horizon of `stream`. REQUIRES: shards_mu_ held.
  StreamShards& stream_state_locked(const StreamSchema& stream);
  // `batch` as the transaction log keeps it. REQUIRES: write_gate_ held.
  TransactionLog::Part log_part(const host::WriteBatch& batch) const;

  // Null while closed. Changed only under open_mu_ with users_ == 0.
  std::unique_ptr<host::Instance> engine_;
  std::shared_ptr<host::Library> library_hold_;  // for a lazily opened table
  const host::Library* library_ = nullptr;
  Opener opener_;  // empty: the instance stays open for the table's lifetime
  InstancePool* pool_ = nullptr;
  FirstUse first_use_;
  std::mutex open_mu_;
  std::atomic<bool> open_{false};   // the fast path may use engine_
  std::atomic<uint64_t> users_{0};  // leases held
  std::atomic<uint64_t> last_used_{0};
  std::atomic<bool> dirty_{false};  // written unsynced since the last sync
  std::atomic<bool> first_use_done_{false};
  std::atomic<bool> moved_{false};  // mark_moved
  std::mutex first_use_mu_;
  std::condition_variable first_use_cv_;
  std::thread::id first_use_runner_;
  bool logs_every_change_ = false;           // log_every_change
  ReplicationSync* replication_sync_ = nullptr;
  bool durable_ = false;                     // every write synced
  bool syncs_on_request_ = false;            // the engine has JORMUN_CAP_SYNC
  std::optional<GroupCommit> group_commit_;  // on engines that need it
  FullDisk full_disk_;
  host::Keyspace items_;
  host::Keyspace streams_;  // stream records of every stream of the table
  std::unique_ptr<StreamSequencer> sequencer_;
  // The shards and horizon of each stream used since open, read from the
  // keyspace on first use (stream_state_locked).
  std::mutex shards_mu_;
  std::map<uint64_t, StreamShards> stream_state_;
  LockManager locks_;

  // Held shared by write sets from stage to commit, exclusively by
  // set_schema and drop_index_keyspace; guards versions_ and
  // index_keyspaces_.
  mutable std::shared_timed_mutex write_gate_;
  std::vector<std::unique_ptr<const TableSchema>> versions_;
  std::atomic<const TableSchema*> current_{nullptr};
  std::map<std::string, host::Keyspace, std::less<>> index_keyspaces_;

  std::mutex records_mu_;
  std::optional<host::Keyspace> records_;

  // Item counts (storage/table_counts.h). The maps change under write_gate_
  // held exclusively and counts_mu_ (which stats() takes); writers reach
  // the counts under the gate held shared.
  std::string counts_dir_;  // where they are saved; empty: nowhere
  mutable std::mutex counts_mu_;
  std::unique_ptr<KeyspaceCount> item_counts_;
  std::map<std::string, std::unique_ptr<KeyspaceCount>, std::less<>> index_counts_;
  std::mutex counts_file_mu_;
  std::atomic<bool> counts_saved_{false};  // the file holds the figures

  std::mutex backfill_mu_;
  bool backfills_stopped_ = false;
  std::map<std::string, std::jthread> backfills_;
  std::condition_variable recounts_cv_;
  int recounts_ = 0;  // recount() calls running
  std::vector<std::jthread> retired_backfills_;  // stopping; joined by stop_backfills
};

}  // namespace jormun::storage
