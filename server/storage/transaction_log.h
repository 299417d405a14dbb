// The server's transaction log: what makes a write set that spans several
// engine instances (a transaction over several tables) all or nothing,
// across a crash too. An engine batch is atomic only within its instance, so
// such a commit goes:
//
//   1. intent: the whole of every table's batch, appended to
//      <data_dir>/transactions.log and synced (concurrent intents share one
//      sync, jormun/write_group.hpp);
//   2. each table's batch, synced, carrying the transaction's marker in the
//      table's reserved keyspace (Table::kTransactionsKeyspace);
//   3. done: a record appended, not synced.
//
// Recovery at start-up (recover) finishes every intent without its done
// record: a table whose marker is absent gets its batch written again. The
// marker is what tells "written" from "not yet", so a batch is never
// rewritten over writes that came after it. A torn tail of the log is an
// intent whose sync never returned: none of its batches was written.
//
// The log is emptied whenever no transaction is in flight and it has grown
// past kRotateBytes (and at start-up); markers of the transactions it held
// are then deleted by the `sweep` callback.
#pragma once

#include <cstdint>
#include <functional>
#include <jormun/engine.hpp>
#include <jormun/write_group.hpp>
#include <mutex>
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

  // Deletes the markers of every transaction with an id up to the argument
  // from every table (Catalog does it); called after the log was emptied.
  using Sweep = std::function<void(uint64_t up_to)>;

  // Opens (creating) <data_dir>/transactions.log, to be emptied past
  // `rotate_bytes`. Throws std::runtime_error.
  TransactionLog(const std::string& data_dir, Sweep sweep,
                 uint64_t rotate_bytes = kRotateBytes);
  ~TransactionLog();
  TransactionLog(const TransactionLog&) = delete;
  TransactionLog& operator=(const TransactionLog&) = delete;

  // The intents the log holds without their done record, in log order.
  // Called once, at start-up, before any begin().
  std::vector<Intent> unfinished() const;
  // After recovery finished those intents (and swept their markers):
  // empties the log, durably.
  void reset();

  // Step 1: a new transaction id, its intent durable in the log. Throws
  // std::runtime_error for an I/O error, ApiError for a full disk; then the
  // transaction must not be written.
  uint64_t begin(std::vector<Part> parts);
  // Step 3, once every batch of `id` is written.
  void end(uint64_t id) noexcept;
  // Deletes the markers of the transactions the log held when end() last
  // emptied it, if it did. Call with no lock of a write set held: the sweep
  // takes the catalog's lock.
  void sweep_if_emptied() noexcept;

  // Markers are records of kind kMarkerKind (Table::record_key) named by
  // the transaction id, 8 bytes big endian.
  static constexpr char kMarkerKind = 'm';
  static std::string marker_name(uint64_t id);
  static uint64_t marker_id(std::string_view name);

  // Past this size the log is emptied when no transaction is in flight.
  static constexpr uint64_t kRotateBytes = 64ull << 20;

 private:
  void append_locked(const std::string& record);

  std::string path_;
  Sweep sweep_;
  const uint64_t rotate_bytes_;
  int fd_ = -1;
  std::mutex mu_;  // guards the members below and appends to fd_
  uint64_t next_id_;
  uint64_t size_ = 0;
  int in_flight_ = 0;
  uint64_t sweep_up_to_ = 0;  // markers to sweep, when not 0
  WriteGroup<std::string> syncs_;
};

}  // namespace jormun::storage
