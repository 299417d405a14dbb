// On-demand backups (CreateBackup): each one a folder of the backups folder
// (<data_dir>/backups/ unless `backups.dir` says otherwise):
//   <id>/data/        the table's engine checkpoint (storage::Table::checkpoint)
//   <id>/table.json   the table's schema as it was, in the catalog's format
//   <id>/backup.json  the backup's own record, written last: the backup exists
//                     once it is there
//   <id>/jormun-creating, <id>/jormun-deleting   markers, as for a table's folder
// <id> is the last part of the backup's ARN: the creation time in ms (14
// digits) and 8 hex digits, "01681997703770-aa93528e".
//
// A crash loses no acknowledged backup and keeps no half one: start-up
// deletes a folder still marked creating or without its record, and finishes
// a deletion its marker records. Folders named otherwise are left alone.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/change_log.h"
#include "storage/table.h"
#include "storage/table_schema.h"

namespace jormun::storage {

struct Backup {
  std::string id;        // see the file comment
  std::string name;      // BackupName
  int64_t created_ms = 0;
  uint64_t size_bytes = 0;  // of the files of data/, as they were written
  // The table's ItemCount and TableSizeBytes when the backup was taken.
  uint64_t item_count = 0;
  uint64_t table_size_bytes = 0;
  TableSchema table;  // the table as backed up, engine fields included
  // Where a checkpoint taken with writes held stands in the table's change
  // log (point-in-time recovery's checkpoints); nullopt for the others.
  std::optional<ChangeLogPosition> change_log;
};

// Whether `id` has the form of a backup id (see the file comment).
bool is_backup_id(std::string_view id);

class BackupStore {
 public:
  // Opens the backups folder `dir`, creating it, and settles what a stop
  // interrupted (see the file comment). Throws std::runtime_error (or
  // DataDirError for an unreadable record) naming the path.
  explicit BackupStore(std::string dir);

  // Backs `table` up as `name`: a checkpoint taken while writes go on, the
  // schema it matches and `stats`, the table's figures. Returns the backup,
  // which is complete and durable. `quiesced`: writes to the table wait
  // while the checkpoint is taken, and the backup records where it stands in
  // the change log. Throws on an engine or file failure, leaving nothing
  // behind.
  Backup create(Table& table, const std::string& name, const Table::Stats& stats,
                bool quiesced = false);

  std::optional<Backup> find(std::string_view id) const;
  // Every backup, oldest first (then by id).
  std::vector<Backup> list() const;

  // Deletes backup `id` and returns it; nullopt when there is none. Throws
  // ApiError BackupInUseException while a restore reads it.
  std::optional<Backup> remove(std::string_view id);

  // Keeps backup `id` from deletion while the returned handle lives: what a
  // restore holds while it reads the checkpoint. Null when there is none.
  std::shared_ptr<const Backup> hold(std::string_view id);

  // The checkpoint folder of backup `id`.
  std::string checkpoint_dir(std::string_view id) const;
  // A scratch folder for a restore (removed at start-up if left behind),
  // named after `name`.
  std::string scratch_dir(std::string_view name) const;

 private:
  struct Entry {
    Backup backup;
    int holds = 0;
  };
  void release(const std::string& id);

  std::string dir_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> backups_;
};

}  // namespace jormun::storage
