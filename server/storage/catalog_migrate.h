// Online engine migration: moving a live table to another engine
// (Catalog::migrate, in catalog_migrate.cc) while requests keep reading and
// writing it.
//
// 1. The table's writes start adding change log records
//    (TableSchema::migrating; storage/change_log.h), kept until it ends.
// 2. A checkpoint with writes held marks where the copy starts in the log;
//    fill_restored_table copies it into a new folder tables/<name>@<hex>,
//    marked as being created, on the new engine.
// 3. Catch-up: the records written since are applied to the copy through
//    the write path (indexes follow), round after round, until a round finds
//    few.
// 4. Switch-over: the old table's writes are held (Table::hold_writes), the
//    last records applied, the copy synced, and under the catalog's lock
//    (a timed try, so no request waits long) the catalog lists the table on
//    the new engine and in the new folder, the old folder among its
//    old_copies, and persists. The old Table is marked moved: a request still
//    holding it gets TableMoved and runs again on the new one.
// Failing, cancelled or stopped before the catalog write, the table stays
// where it was and the new folder goes (at the next start if not before:
// its create marker says so). The old copy stays until
// Catalog::drop_old_copies.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>

namespace jormun::storage {

// What JormunDescribeMigration reports of a table's migration.
struct MigrationStatus {
  enum class Phase { kCopying, kCatchingUp, kSwitching, kDone, kFailed, kCancelled };
  std::string table;
  std::string from_engine;
  std::string to_engine;
  Phase phase = Phase::kCopying;
  uint64_t items_total = 0;       // the table's ItemCount as it started
  uint64_t items_copied = 0;      // base items written into the copy
  uint64_t records_applied = 0;   // change log records caught up
  std::string error;              // kFailed only
  double start_time = 0;          // seconds since the epoch
  double end_time = 0;            // 0 until it ends
  std::string old_copy;           // kDone: the old copy's folder under tables/
};

// "COPYING", "CATCHING_UP", "SWITCHING", "DONE", "FAILED", "CANCELLED".
const char* phase_name(MigrationStatus::Phase phase);

// A running migration, shared by its thread and the catalog.
class Migration {
 public:
  explicit Migration(MigrationStatus start) : status_(std::move(start)) {}
  MigrationStatus status() const;
  void set_phase(MigrationStatus::Phase phase);
  // Ends it: kDone, kFailed (with `error`) or kCancelled.
  void finish(MigrationStatus::Phase phase, const std::string& error = {},
              const std::string& old_copy = {});
  std::atomic<uint64_t> items_copied{0};
  std::atomic<uint64_t> records_applied{0};
  // Cancels it (JormunCancelMigration); set when its thread starts.
  std::stop_source cancel;

 private:
  mutable std::mutex mu_;
  MigrationStatus status_;
};

}  // namespace jormun::storage
