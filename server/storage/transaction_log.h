// The server's transaction log: what makes a write set that spans several
// engine instances (a transaction over several tables) all or nothing,
// across a crash too. An engine batch is atomic only within its instance, so
// such a commit goes:
//
//   1. intent: the whole of every table's batch, appended to
//      <data_dir>/transactions.log and synced (concurrent intents share one
//      sync, jormun/write_group.hpp);
//   2. each table's batch, carrying the transaction's marker in the table's
//      reserved keyspace (Table::kTransactionsKeyspace): unsynced on an
//      engine with JORMUN_CAP_SYNC, synced on others;
//   3. done: a record appended, not synced.
//
// The transaction is durable once its intent is. Recovery at start-up
// (intents) goes over every intent the log holds, done or not: a table whose
// marker is absent gets its batch written again. The marker is what tells
// "written" from "not yet", so a batch is never rewritten over writes that
// came after it: on an engine that syncs on demand, JORMUN_CAP_SYNC's
// ordered durability says a later write to the batch's keys cannot have
// survived a crash that lost the batch (and its marker, in the same atomic
// write). A torn tail of the log is an intent whose sync never returned:
// none of its batches was written.
//
// Past kRotateBytes the log is sealed (renamed transactions.log.1, a new one
// begun) at the end of a transaction, under load too. Once every transaction
// of the sealed file has ended, retiring it (retire_sealed, with no lock of a
// write set held) makes the tables they wrote durable (`sync_tables`),
// deletes it, then deletes their markers (`sweep`). Until then its intents
// are recovered like the others. Ids are given in log order, so the sealed
// file holds exactly the intents up to one id.
#pragma once

#include <cstdint>
#include <functional>
#include <jormun/engine.hpp>
#include <jormun/write_group.hpp>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace jormun::storage {

class Table;

class TransactionLog {
 public:
  // One table's share of a transaction, as logged: enough to write it again
  // on the table after a restart.
  struct Part {
    std::string table;     // name
    std::string table_id;  // TableSchema::id: a re-created table is another
    struct Op {
      bool put;
      std::string keyspace;  // by name: handles do not survive a restart
      std::string key;
      std::string value;
    };
    std::vector<Op> ops;
  };
  struct Intent {
    uint64_t id = 0;
    std::vector<Part> parts;
  };

  // Makes every write made so far to the tables named (those of them that
  // still exist) durable, throwing if it cannot (Catalog does it, through
  // Table::sync).
  using SyncTables = std::function<void(const std::set<std::string>& tables)>;
  // Deletes the markers of every transaction with an id up to `up_to` from
  // the tables named, those the sealed log's transactions wrote (Catalog
  // does it); called after a sealed log was retired.
  using Sweep = std::function<void(uint64_t up_to, const std::set<std::string>& tables)>;

  // Opens (creating) <data_dir>/transactions.log, and the sealed one if a
  // stop left it, to be sealed past `rotate_bytes`. Throws
  // std::runtime_error.
  TransactionLog(const std::string& data_dir, SyncTables sync_tables, Sweep sweep,
                 uint64_t rotate_bytes = kRotateBytes);
  ~TransactionLog();
  TransactionLog(const TransactionLog&) = delete;
  TransactionLog& operator=(const TransactionLog&) = delete;

  // The intents both files hold, in log order, done or not (a done
  // transaction's batches may not be durable yet), less those abandoned.
  // Called once, at start-up, before any begin().
  std::vector<Intent> intents() const;
  // After recovery finished those intents, made every table durable (and
  // swept their markers): empties the log and deletes the sealed one,
  // durably.
  void reset();

  // Step 1: a new transaction id, its intent durable in the log. Throws
  // std::runtime_error for an I/O error, ApiError for a full disk; then the
  // transaction must not be written.
  uint64_t begin(std::vector<Part> parts);
  // Step 3, once every batch of `id` is written.
  void end(uint64_t id) noexcept;
  // Retires the sealed log, if end() sealed one, each of its transactions
  // has ended and no other thread is retiring it: syncs its tables, deletes
  // it, sweeps its markers. A
  // failure leaves it for a later call. Call with no lock of a write set
  // held: the callbacks take the catalog's lock.
  void retire_sealed() noexcept;

  // Markers are records of kind kMarkerKind (Table::record_key) named by
  // the transaction id, 8 bytes big endian.
  static constexpr char kMarkerKind = 'm';
  static std::string marker_name(uint64_t id);
  static uint64_t marker_id(std::string_view name);

  // Past this size the log is sealed when a transaction ends.
  static constexpr uint64_t kRotateBytes = 64ull << 20;

 private:
  // Opens (creating) the log file for appends.
  void open_current();
  void append_locked(const std::string& record);
  // Appends the record of `kind` that ends `id`, sealing the log when due.
  void finish(uint64_t id, uint8_t kind) noexcept;
  void seal_locked();

  std::string dir_, path_, sealed_path_;
  SyncTables sync_tables_;
  Sweep sweep_;
  const uint64_t rotate_bytes_;
  int fd_ = -1;
  std::mutex mu_;  // guards the members below and appends to fd_
  uint64_t next_id_;
  uint64_t size_ = 0;
  std::set<uint64_t> in_flight_;  // intents appended, not yet ended
  std::set<std::string> tables_;  // written by the current file's transactions
  // The sealed file, when there is one: its descriptor (a group may still
  // be syncing through it), its last transaction and its tables.
  int sealed_fd_ = -1;
  uint64_t sealed_up_to_ = 0;
  std::set<std::string> sealed_tables_;
  bool retiring_ = false;
  // An intent waiting for its group: the record's body after the id,
  // which the group's leader gives.
  struct Pending {
    std::string body;
    const std::vector<Part>* parts;
    uint64_t id = 0;
  };
  WriteGroup<Pending> syncs_;
};

}  // namespace jormun::storage
