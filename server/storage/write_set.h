// The write path: every write, whatever asked for it (PutItem, UpdateItem,
// DeleteItem, BatchWriteItem, GSI backfill), goes through a WriteSet in two
// steps.
//
// *stage*: take the item's lock, read the stored item when anything needs
// it, let the caller check its condition and compute the new item (a
// callback: conditions are evaluated by expr/, which storage does not
// include), and compute everything derived from it (index entries, the
// stream record) into the set's batch for the item's table.
//
// *commit*: one atomic engine batch per engine instance (one per table, since
// a table is one instance), synced on a durable table, then the table's
// item counts take what the batch changed (storage/table_counts.h), then
// release. A set over several tables commits all or nothing: as one engine
// call where the tables' engine writes several instances at once
// (Table::commit_joint, ABI 1.4), every table's preconditions checked
// together; else through the transaction log (storage/transaction_log.h):
// intent, batches, done.
//
// The set holds its locks (RAII) from stage to commit; a set destroyed
// uncommitted writes nothing, so a stage that throws (a failed condition,
// a refused item) leaves nothing written. Locks are taken in one global
// order, table (by name) then lock stripe, with each table's schema gate
// before its stripes, so sets holding several items cannot deadlock: a set
// must stage its items in that order (tables by name, keys by
// LockManager::stripe), and refuses one staged out of it. A lock not had
// within the set's wait (kLockWait unless told) is a LockTimeout, never a
// wait without end.
//
// On an engine that checks preconditions (Table::checks_preconditions), a
// set attaches to each table's batch the stored form of every item it read
// (or "absent"), and the engine applies the batch only if they still hold:
// the item locks serialise the writers of one process, the preconditions
// those of several processes sharing one database. A commit whose
// preconditions failed is a WriteConflict; the caller stages everything
// again in a new set, which reads again and decides again (retry_conflicts).
//
// Not thread-safe: one set belongs to one thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <thread>
#include <map>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/attribute_value.h"
#include "storage/lock_manager.h"
#include "storage/stream_record.h"
#include "storage/stream_sequencer.h"
#include "storage/table.h"

namespace jormun::storage {

// One item's write, as the caller describes it.
struct Mutation {
  // Read the stored item even when nothing in storage needs it (a condition,
  // ReturnValues, an update that starts from it).
  bool needs_old = false;
  // The item to store given the stored one (null if absent, or not read);
  // nullopt deletes it. May throw to refuse the write: then nothing of the
  // set is written.
  std::function<std::optional<model::Item>(const model::Item* old)> decide;
  // The service writes it, not a client (a TTL deletion): its stream record
  // says so (userIdentity).
  bool by_service = false;
};

// What a stage found and decided.
struct Staged {
  std::optional<model::Item> old_item;  // set only when read
  std::optional<model::Item> new_item;
  // The stored item's DynamoDB size, known even when old_item was not read
  // (the counts need it); nullopt when there was none.
  std::optional<size_t> old_size;
};

// An item's lock was not had in time: a conflicting write or transaction
// held it. Nothing of that item was staged; the set stays usable.
struct LockTimeout : std::runtime_error {
  LockTimeout() : std::runtime_error("lock wait timed out") {}
};

// Another process wrote an item this set read, between the read and the
// commit (a precondition failed). Nothing of the set was written.
struct WriteConflict : std::runtime_error {
  WriteConflict() : std::runtime_error("an item read was changed by another writer") {}
};

// A set over several tables has no transaction log (the log is one
// process's, and several share the tables: cluster mode) and their engine
// cannot write them as one. Nothing of the set was written.
struct NotJoinable : std::runtime_error {
  NotJoinable()
      : std::runtime_error("the tables' engine cannot write them in one transaction") {}
};

// How many times retry_conflicts runs an attempt in all.
inline constexpr int kConflictAttempts = 8;

// Runs attempt() (which stages and commits a WriteSet of its own) and
// returns what it returns; while it throws WriteConflict, runs it again
// after a short random pause (the writers that collided should not collide
// again), at most kConflictAttempts times in all, then throws the last
// WriteConflict.
template <typename Attempt>
auto retry_conflicts(Attempt&& attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  for (int n = 1;; ++n) {
    try {
      return attempt();
    } catch (const WriteConflict&) {
      if (n == kConflictAttempts) throw;
    }
    // 1 ms doubling to 64 ms at most, times [0.5, 1.5).
    const int base_us = 1000 << std::min(n - 1, 6);
    std::this_thread::sleep_for(
        std::chrono::microseconds(base_us / 2 + static_cast<int>(rng() % base_us)));
  }
}

class WriteSet {
 public:
  // How long a set waits for one lock by default. Locks are held for the
  // time of one commit (one disk flush on a durable table), so a wait this
  // long means a stuck holder.
  static constexpr std::chrono::milliseconds kLockWait{2000};

  // `log` makes a commit over several tables atomic where their engine
  // cannot (Table::commit_joint); without it such a commit is NotJoinable.
  explicit WriteSet(TransactionLog* log = nullptr,
                    std::chrono::milliseconds lock_wait = kLockWait)
      : log_(log), deadline_(std::chrono::system_clock::now() + lock_wait) {}
  WriteSet(const WriteSet&) = delete;
  WriteSet& operator=(const WriteSet&) = delete;
  // Releases the locks; writes nothing unless committed.
  ~WriteSet() = default;

  // The lock order: whether item (a, ka) must be staged before (b, kb).
  // Items equal in it share a lock.
  static bool precedes(const Table& a, const std::string& ka, const Table& b,
                       const std::string& kb);

  // Stages the write of the item under engine key `key` in `table`.
  // Returns what it read and decided; throws what `m.decide` throws, and
  // LockTimeout.
  // REQUIRES: (table, key) do not precede an item staged before in the lock
  // order (else std::logic_error, nothing locked); `table` outlives the set.
  Staged stage(Table& table, const std::string& key, const Mutation& m);

  // Locks the item like stage and reads its stored form (false when
  // absent), writing nothing: reads under the locks of one set see no
  // write of another set half done (TransactGetItems).
  bool read(Table& table, const std::string& key, std::string* stored);

  // Adds a record of `kind` and `name` to the transactions keyspace of
  // `table` (Table::kTransactionsKeyspace) in the same commit; returns its
  // key. Anchored (Table::record_key) at the first item the set locked
  // there, or, on an engine that checks preconditions (a table other
  // processes may share), at no item: there every process must find it at
  // one key (read_record). REQUIRES: `table` was staged in this set.
  std::string stage_record(Table& table, char kind, std::string_view name,
                           std::string value);
  // On an engine that checks preconditions, the value of the record
  // stage_record would write (nullopt when absent), the commit then
  // expecting it unchanged: of two processes staging one record, one
  // conflicts. Elsewhere nullopt, reading nothing: one process owns the
  // table and keeps its own account. REQUIRES: `table` was staged in this set.
  std::optional<std::string> read_record(Table& table, char kind, std::string_view name);

  // Records in `table`'s batch that a replica has applied every change of
  // its primary's change log numbered below `next` (Table::replica_position),
  // so the position commits with the changes. Takes the table's gate when
  // no item of it was staged. REQUIRES: no item of `table` is staged after.
  void stage_replica_position(Table& table, uint64_t next);

  // Stages the entry of the stored item under `key` in index `index` (a
  // backfill): nothing when the item is absent or has no entry. False, with
  // nothing staged, when the index is no longer being created.
  bool stage_index_entry(Table& table, const std::string& key, const std::string& index);

  // Writes each table's batch (one atomic engine write per instance), then
  // releases every lock. With one table, throws what the engine throws (an
  // internal fault, a full disk, a WriteConflict) and writes nothing. With
  // several (tables written, or read with preconditions), one joint engine
  // write where the engine has it, which throws as with one table; else
  // NotJoinable without a log, and with one, through it, their
  // preconditions not checked (no engine call spans the instances), and all
  // or nothing: a failure before the intent is durable writes nothing;
  // after it, a batch the engine refuses is tried again until it is
  // written (a full disk holds the transaction's items until there is
  // room), and a crash leaves it to recovery.
  void commit();

  // Instead of commit() for a set that only read(): checks that every item
  // read is still as it was read, without writing, after all the reads, then
  // releases the locks. On an engine that checks preconditions this
  // isolates the reads from other processes' writes: one joint check of
  // every table where the engine has joint writes (the moment it holds saw
  // every item as read), else one check per table (each write being atomic
  // within one table, a moment after the last read and before the first
  // check saw every item as read, unless an item changed and changed back
  // meanwhile); elsewhere the locks already did. Throws WriteConflict when
  // an item changed.
  void check_reads();

 private:
  struct TableWrites {
    Table::Lease lease;  // first, so released last: the instance stays open
    Table* table;
    std::shared_lock<std::shared_timed_mutex> gate;  // the schema stays while staged
    std::vector<LockManager::Guard> stripes;
    size_t last_stripe = 0;
    host::WriteBatch batch;
    std::vector<CountChange> counted;  // added to the counts once committed
    std::string anchor;  // the first key locked in the table
    SequenceHold sequences;  // of the stream records staged; released last
    // Change log records staged, numbered and put in the batch at commit,
    // when it is known whether they make a group (StreamRecord::group).
    std::vector<StreamRecord> logged;
    uint64_t logged_end = 0;  // past the last number they took
  };
  // Numbers each table's change log records and puts them in its batch.
  // A set over several tables numbers them under one process-wide lock, so
  // two such sets are in one order in every table's log, and names every
  // table's part (StreamRecord::Transaction::parts) so that a replica knows
  // which of them its copies already hold.
  void seal_change_logs();
  // The writes of staged `table`; std::logic_error, naming `what`, if it
  // is not staged.
  TableWrites& staged(const Table& table, const char* what);
  // The key stage_record gives a record in `t`.
  static std::string shared_or_anchored_key(const TableWrites& t, char kind,
                                            std::string_view name);
  // The writes of `table`, locking `key`'s stripe (and, first, the table's
  // gate) in the global order.
  TableWrites& lock(Table& table, const std::string& key);

  // The stored item under `key`, read for a write to it; on an engine that
  // checks preconditions, what was read goes into `t`'s batch as one.
  bool read_stored(TableWrites& t, const std::string& key, std::string* stored);
  // The batches (and preconditions) of a set over several tables as one
  // engine write; false, nothing written, when the engine cannot.
  bool commit_jointly();
  // The batches of a set over several tables, through the log.
  void commit_atomically();
  // Adds what `t`'s committed batch changed to its table's counts.
  static void count(const TableWrites& t);
  // Writes one table's batch of logged transaction `id` (a logged share,
  // Table::commit), trying again until it is written: the transaction has
  // happened once its intent is durable.
  static void write_logged(Table& table, const host::WriteBatch& batch, uint64_t id);

  TransactionLog* log_;
  LockManager::Deadline deadline_;  // of every lock of the set (why system_clock: there)
  std::vector<TableWrites> tables_;  // in lock order
};

}  // namespace jormun::storage
