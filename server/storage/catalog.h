// All tables of the server: their schemas (persisted in catalog.json) and
// their open engine instances (one per table, in <data_dir>/tables/<name>/).
//
// It also holds what transactions share across tables: the transaction log,
// whose unfinished transactions it finishes when it opens
// (storage/transaction_log.h), and the ClientRequestTokens.
//
// Tables open lazily: a table's engine instance opens on its first use, and
// the instance pool (storage/instance_pool.h) closes idle ones to keep
// within server.max_open_tables and server.max_open_files; the first use of
// a table in a run also sweeps the transaction markers of earlier runs
// and loads its ClientRequestTokens.
//
// In a cluster (config `cluster:`), the schemas live in the database
// instead (storage/shared_catalog.h): every change is made on the newest
// shared catalog and committed there compare-and-set, and a thread applies
// what other front ends changed every cluster.poll_ms (catalog_cluster.cc).
//
// Thread-safe. Lookups take a shared lock; create and drop serialise on an
// exclusive one. A dropped table's instance is closed and its directory
// removed (or, for a table with streams, moved to retired/ until its
// streams age out) once no request holds it any more.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <stop_token>
#include <thread>
#include <string>
#include <string_view>
#include <map>
#include <vector>

#include "config/config.h"
#include "storage/backfill_lease.h"
#include "storage/backup_store.h"
#include "storage/catalog_migrate.h"
#include "storage/cluster_counts.h"
#include "storage/cluster_presence.h"
#include "storage/engine_registry.h"
#include "storage/instance_pool.h"
#include "storage/shared_catalog.h"
#include "storage/table.h"
#include "storage/transaction_log.h"
#include "storage/transaction_tokens.h"

namespace jormun::storage {

class Catalog {
 public:
  // Reconciles config.data_dir with its catalog (prepare_data_dir: throws
  // DataDirError when that would risk data) and lists every table on the
  // engine it was created with, opening only those that recovery needs.
  // Index work a crash interrupted resumes: backfills of kCreating indexes
  // restart, kDeleting indexes are dropped; and tables without saved item
  // counts are recounted. Neither with config.background_work false.
  Catalog(const config::Config& config, EngineRegistry& engines);
  // Stops running backfills and restores before the tables close.
  ~Catalog();

  // The table, or null when there is none of that name.
  std::shared_ptr<Table> find(std::string_view name) const;

  // Creates the table on the engine the config picks for its name, in a
  // folder marked as being created (and with the table's id) until the
  // catalog lists it. A folder already there is cleared (clear_leftover).
  // Fills in id, creation time and engine fields of `schema`. Throws ApiError
  // ResourceInUseException when the name is taken.
  // With `keep_id`, the table keeps the id `schema` carries (a read
  // replica's copy of its primary's table, told apart by it: docs/replication.md).
  std::shared_ptr<Table> create(TableSchema schema, bool keep_id = false);

  // Creates the table as create() does, with the id `schema` carries, but
  // lists it only once `fill` has written its items through a private Table
  // on the new folder: until then it is restoring() (described CREATING,
  // listed by names(), unknown to find()), so no reader sees part of it. A
  // read replica's copy of its primary's table (docs/replication.md). When
  // `fill` throws, the folder is removed and the exception goes on. Throws
  // ApiError ResourceInUseException when the name is taken by a table of
  // another id. A table of the same id (a replica copying it again) stays
  // listed and served while the new copy fills a folder of its own, then
  // the copy takes its place and the old folder is removed once its last
  // request lets go.
  std::shared_ptr<Table> create_filled(TableSchema schema,
                                       const std::function<void(Table&)>& fill);

  // Starts restoring `backup` (held, so it is not deleted meanwhile) as
  // the table `schema` (its name, indexes and settings chosen by the caller):
  // a folder is made as create() makes one, on the engine the config picks
  // for the name, and a background thread fills it (fill_restored_table)
  // and then lists the table as create() does. Until then the table is
  // restoring(): described CREATING, listed by names(), unknown to find().
  // Fills in id, creation time and engine fields; returns the schema.
  // Throws ApiError TableAlreadyExistsException when the name is taken,
  // TableInUseException while a table of that name is being created
  // (restored) or deleted.
  // A restore that fails, or that a stop interrupts, leaves no table: its
  // folder, still marked as being created, is removed (at the next start if
  // not before).
  //
  // With `replay` (RestoreTableToPointInTime), the changes of `replay`'s
  // source table's change log from the checkpoint on up to its time are
  // applied to the new table before it is listed (replay_change_log); the
  // thread holds the source table meanwhile.
  struct Replay {
    std::shared_ptr<Table> source;
    uint64_t from = 0;       // the checkpoint's change log end
    int64_t up_to_ms = 0;    // the time restored to
  };
  TableSchema restore(TableSchema schema, std::shared_ptr<const Backup> backup,
                      std::optional<Replay> replay = std::nullopt);
  // The schema of the table of that name being restored, or nullopt.
  std::optional<TableSchema> restoring(std::string_view name) const;

  // Marks the table's folder as being deleted, removes the table from the
  // catalog, waits for requests using it to end, closes its engine and
  // deletes its files; a table that has had a stream is retired instead
  // (see retired()), its streams readable for streams.retention_hours. Returns the schema and the last
  // statistics for DeleteTable's answer. Throws ResourceNotFoundException.
  // `check` runs first, under the catalog's exclusive lock, with the current
  // schema: what it throws refuses the drop (deletion protection), and no
  // UpdateTable can change the schema between the check and the drop.
  std::pair<TableSchema, Table::Stats> drop(
      std::string_view name, const std::function<void(const TableSchema&)>& check = {});

  // Changes a table's schema: `change` maps the current schema to the new
  // one (it may throw ApiError; then nothing changes) and runs under the
  // catalog's exclusive lock, so concurrent changes of one table serialise.
  // The new schema is installed and the catalog persisted atomically; then
  // the index work it asks for starts: a backfill for each index that became
  // kCreating (it turns kActive, persisted, when done), and the drop of each
  // kDeleting index's keyspace (after which the index leaves the schema,
  // persisted again). Returns the schema `change` produced. Throws
  // ResourceNotFoundException when the table is not in the catalog.
  TableSchema update_schema(std::string_view name,
                            const std::function<TableSchema(const TableSchema&)>& change);

  // DescribeTable's figures of `table`: its own, or in a cluster every
  // front end's (storage/cluster_counts.h).
  Table::Stats stats(const Table& table);

  // Table names in ascending order, those being restored included.
  std::vector<std::string> names() const;

  // Deleted tables kept while their streams stay readable: drop() keeps a
  // table that has had a stream (its streams disabled, schema().deleted_ms
  // set), moved to retired/<id>, instead of deleting it. Listed in the
  // catalog's "retired"; nothing but the Streams API and the stream
  // trimmer sees them. In deletion order.
  std::vector<std::shared_ptr<Table>> retired() const;
  // Deletes the retired tables deleted before `cutoff_ms` (the server clock)
  // with their folders; returns how many.
  size_t expire_retired(int64_t cutoff_ms);

  // Starts moving the table to engine `engine` (one of the config's) on a
  // background thread, while requests go on (storage/catalog_migrate.h).
  // Returns its status. Throws ApiError ResourceNotFoundException (no such
  // table), ResourceInUseException (a migration of it runs, or an index of
  // it is being created or deleted), ValidationException (already on that
  // engine; point-in-time recovery on).
  MigrationStatus migrate(std::string_view name, const config::EngineConfig& engine);
  // The table's running migration, else its last one in this run, or nullopt.
  std::optional<MigrationStatus> migration(std::string_view name) const;
  // Asks the table's running migration to stop; false when none runs. One
  // past its catalog write finishes all the same.
  bool cancel_migration(std::string_view name);
  // Deletes the old copies migrations left of the table (its old_copies)
  // and returns their folder names. Throws ResourceNotFoundException,
  // ResourceInUseException while a migration of it runs.
  std::vector<std::string> drop_old_copies(std::string_view name);

  BackupStore& backups() { return *backups_; }
  // Point-in-time recovery's checkpoints (storage::pitr_dir), one store of
  // all tables', each checkpoint's table schema telling whose it is.
  BackupStore& pitr_checkpoints() { return *pitr_checkpoints_; }
  TransactionLog& transaction_log() { return *log_; }
  TransactionTokens& transaction_tokens() { return tokens_; }
  InstancePool& instance_pool() { return pool_; }
  EngineRegistry& engines() { return engines_; }
  // The listed tables by id.
  std::map<std::string, std::shared_ptr<Table>> tables_by_id() const;
  // A primary's replication (docs/replication.md): what its followers
  // confirmed, with replication.sync (else null), and a text that changes
  // whenever a table is created, dropped or changed (each persist), so a
  // follower knows when to read the catalog again.
  ReplicationSync* replication_sync() { return replication_sync_.get(); }
  std::string version() const;
  // Whether the catalog is a cluster's (config `cluster:`).
  bool clustered() const { return shared_ != nullptr; }
  // In a cluster, applies the shared catalog's newest version now instead
  // of at the next poll; true when it was newer than the one applied (a
  // request that failed on the schemas it had may run again on these).
  // False outside a cluster. Throws host::EngineError.
  bool refresh();

 private:
  // The folder under tables/ of a folder name (a table's, or an old copy's).
  std::string table_dir(const std::string& folder) const;
  // A table's folder: its folder under tables/, or in a cluster
  // cluster-tables/<id> (a table of the name another front end created anew
  // may arrive while the old one's folder is still being removed).
  std::string table_dir(const TableSchema& schema) const;
  // create(), drop() and update_schema() once; in a cluster, a change that
  // lost the race to another front end's throws CatalogConflict and the
  // caller runs it again on the newer catalog (run_changes).
  std::shared_ptr<Table> create_once(TableSchema schema, bool keep_id);
  std::pair<TableSchema, Table::Stats> drop_once(
      std::string_view name, const std::function<void(const TableSchema&)>& check);
  TableSchema update_schema_once(std::string_view name,
                                 const std::function<TableSchema(const TableSchema&)>& change);
  template <class F>
  auto run_changes(F&& once) -> decltype(once());

  // catalog_cluster.cc. Start-up in a cluster: opens the shared catalog,
  // lists its tables and clears the folders of tables it no longer has.
  void open_cluster();
  // Applies the shared catalog's newest version to tables_ (no-op outside a
  // cluster, or when it has not changed); tables that left it wait in
  // remote_drops_ for the poll thread to close. REQUIRES: mu_ held
  // exclusively.
  void sync_locked();
  // The shared catalog's part of persist_locked: commits the difference
  // between tables_ and the last version seen. Throws CatalogConflict.
  void persist_shared_locked();
  // The poll thread's loop (cluster.poll_ms).
  void poll_cluster(std::stop_token stop) noexcept;
  // Adds what each table counted to the cluster's counts; a failure is
  // logged, and the next call adds what this one could not.
  void add_cluster_counts() noexcept;
  // A folder for `schema`'s table on this front end, made when absent.
  void ensure_cluster_dir(const TableSchema& schema);
  // The first half of create() and restore(): fills in `schema`'s id,
  // creation time and engine fields and makes its folder, marked as being
  // created; returns the folder. REQUIRES: mu_ held exclusively, the name
  // free.
  std::string begin_create_locked(TableSchema& schema, bool keep_id = false);
  // The second half: opens the table in `dir`, lists it and persists the
  // catalog; on failure removes the folder and throws. REQUIRES: mu_ held
  // exclusively.
  std::shared_ptr<Table> finish_create_locked(const TableSchema& schema,
                                              const std::string& dir);
  // Puts the table of `schema`, filled in `dir` (marked as being created),
  // in the place of `listed` and persists the catalog; the old copy is
  // marked moved, its folder marked for deletion (finish_drop removes it).
  // On failure `listed` is as it was and the exception goes on. REQUIRES:
  // mu_ held exclusively.
  std::shared_ptr<Table> replace_locked(std::shared_ptr<Table>& listed,
                                        const TableSchema& schema, const std::string& dir);
  // A folder name under tables/ for another copy of table `name`, next to
  // the one its schema names (a migration's, a replica's copy made again).
  static std::string fresh_folder(const std::string& name);
  // A restore's background thread (see restore()). Never throws.
  void run_restore(TableSchema schema, std::string dir,
                   std::shared_ptr<const Backup> backup, std::optional<Replay> replay,
                   std::stop_token stop) noexcept;
  // The replay step of a point-in-time restore, into the table in `dir`.
  void replay_into(const TableSchema& schema, const std::string& dir, const Replay& replay,
                   std::stop_token stop);
  void persist_locked();
  // A migration's background thread (catalog_migrate.cc). Never throws.
  void run_migration(std::shared_ptr<Migration> m, std::shared_ptr<Table> old,
                     config::EngineConfig engine, std::stop_token stop) noexcept;
  // Its work up to the switch-over; returns the old copy's folder name.
  std::string migrate_table(Migration& m, const std::shared_ptr<Table>& old,
                            const config::EngineConfig& engine, const std::string& dir,
                            const std::string& folder, std::stop_token stop);
  // The switch-over (see catalog_migrate.h) from `old` to the copy in `dir`
  // (`target` its schema as copied, `copy` open on it, caught up to change
  // log number `*next`); false, with the writes released, when the writes
  // or the catalog's lock were not had in time.
  bool switch_over(const std::shared_ptr<Table>& old, std::shared_ptr<Table>& copy,
                   const TableSchema& target, const std::string& dir, uint64_t* next,
                   Migration& m, std::stop_token stop);
  // Opens `schema`'s table in `dir` (default: its folder under tables/).
  // Lists `schema`'s table in `dir` (default: its folder under tables/),
  // to open lazily on first use.
  std::shared_ptr<Table> open_table(const TableSchema& schema, const std::string& dir = {});
  // A table's first use in this run (Table::FirstUse): sweeps the markers
  // of earlier runs' transactions and loads its ClientRequestTokens; false
  // before recovery is done.
  bool first_use(Table& table);
  // The end of a committed drop of `table` (its schema `retired`, or
  // deleted_ms 0 to delete it): once no request holds it, closes it and
  // either moves its folder `dir` to retired/ and opens it there, or deletes
  // the folder. Never throws: a move that fails deletes the folder instead.
  void finish_drop(std::shared_ptr<Table> table, const std::string& dir,
                   const TableSchema& retired) noexcept;
  // The index work of update_schema: backfills for indexes that are
  // kCreating now but were not in `before` (null: none were), drops of
  // kDeleting ones. REQUIRES: mu_ held exclusively.
  void advance_indexes_locked(Table& table, const TableSchema* before);
  // Starts the backfill of index `index` of `table`; in a cluster only once
  // this front end has taken its lease (storage/backfill_lease.h) from
  // `seen`, the value read in its row (else it is another's to run), and
  // its first item read only once every live front end has applied the
  // catalog version this one has (storage/cluster_presence.h), which has
  // the index. A `takeover` (of a lease that ran out) starts after the
  // last item the lease says its holder did; a new backfill from the first.
  // REQUIRES: mu_ held exclusively.
  void start_backfill_locked(Table& table, const std::string& index,
                             const std::optional<std::string>& seen, bool takeover = false);
  // Deletes the lease row of deleted index `index` of `table`: a backfill
  // the delete stopped left its position there, where a takeover of a new
  // index of the name must not start. A failure is logged.
  // REQUIRES: mu_ held exclusively; a cluster.
  void forget_backfill_lease_locked(const Table& table, const std::string& index) noexcept;
  // The poll thread's part in a cluster's backfills: takes over those of
  // indexes still kCreating whose lease ran out (catalog_cluster.cc).
  // REQUIRES: mu_ held exclusively.
  void take_over_backfills_locked();
  // A backfill's completion: marks the index kActive unless the backfill was
  // stopped, `table` left the catalog or the index is no longer kCreating.
  void finish_backfill(Table* table, const std::string& index, std::stop_token stop);
  // Start-up: finishes the transactions the log holds unfinished, deletes
  // every marker, empties the log and loads the tokens.
  void recover_transactions();
  // Start-up: recounts, on a background thread, the item counts of the
  // tables that have none saved (Table::needs_recount). REQUIRES: mu_ held.
  void start_recounts_locked();

  const config::Config& config_;
  EngineRegistry& engines_;
  std::string catalog_path_;
  // Before the tables: they tell it when they close.
  InstancePool pool_;
  // Set once start-up recovery is done; until then no table's first use
  // sweeps its markers (recovery reads them).
  std::atomic<bool> recovered_{false};
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<Table>, std::less<>> tables_;
  std::set<std::string, std::less<>> dropping_;
  // Retired tables by id; the table is null while its folder is moved.
  std::map<std::string, std::pair<TableSchema, std::shared_ptr<Table>>> retired_;
  // Tables being restored, by name (restore()).
  std::map<std::string, TableSchema, std::less<>> restoring_;
  // Before the restore threads: they use it.
  std::unique_ptr<BackupStore> backups_;
  std::unique_ptr<BackupStore> pitr_checkpoints_;
  int64_t started_ms_;                // version()
  std::atomic<uint64_t> version_{0};  // persists in this run
  // Tables point at it; their writes end before the catalog does.
  std::unique_ptr<ReplicationSync> replication_sync_;
  // Restore and migration threads; finished ones are joined when the next
  // one starts.
  struct RestoreThread {
    std::shared_ptr<std::atomic<bool>> done;
    std::jthread thread;
  };
  std::vector<RestoreThread> restore_threads_;  // guarded by mu_
  // Running migrations, and the last finished one, by table name.
  std::map<std::string, std::shared_ptr<Migration>, std::less<>> migrations_;  // mu_
  std::map<std::string, std::shared_ptr<Migration>, std::less<>> past_migrations_;  // mu_
  // After tables_: the log's sweep reads it.
  std::unique_ptr<TransactionLog> log_;
  TransactionTokens tokens_;
  std::jthread recount_thread_;  // start_recounts_locked; stopped first
  // The cluster's catalog (null outside a cluster), the version tables_
  // reflects and each table's schema as of it (table_to_json), guarded by
  // mu_; tables other front ends dropped, for the poll thread to close.
  std::unique_ptr<SharedCatalog> shared_;
  uint64_t shared_version_ = 0;
  std::map<std::string, std::string, std::less<>> shared_json_;
  std::vector<std::shared_ptr<Table>> remote_drops_;
  // This front end's id in the cluster's leases (random per run), and the
  // leases it watches for a takeover (poll thread, under mu_).
  std::string front_end_id_;
  std::optional<StaleWatch> stale_leases_;
  // Its presence (announced by the poll thread; backfills wait on the
  // others').
  std::optional<ClusterPresence> presence_;
  // The tables' item counts, added to by the poll thread every second and
  // once more as the catalog closes.
  std::optional<ClusterCounts> counts_;
  std::jthread poll_thread_;  // stopped before the tables close
};

}  // namespace jormun::storage
