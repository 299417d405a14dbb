// The data half of RestoreTableFromBackup: fills a new table's folder from
// a backup's checkpoint (storage/backup_store.h). The catalog creates the
// folder and lists the table (Catalog::restore); this runs in between, on
// the restore's background thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <stop_token>
#include <string>

#include "storage/engine_registry.h"
#include "storage/table_schema.h"

namespace jormun::storage {

// Fills `dir`, the new table's folder (holding only its markers), with the
// data of `checkpoint`, a checkpoint of a table whose schema was `source`,
// for table `target` (its indexes some of the source's; engine fields set):
// - on the source's engine with the same options, a copy of the
//   checkpoint's files, opened there;
// - on another engine (or options), the entries of the base items and of
//   `target`'s indexes streamed from the checkpoint, opened as an instance of
//   the source's engine in `scratch` (a copy, since opening may write), into
//   a new instance; `scratch` is removed afterwards.
// What the new table must not inherit is dropped: stream records, the
// transaction machinery's records (markers and ClientRequestTokens), and the
// keyspaces of indexes `target` leaves out. The table's item counts are
// then counted and saved (storage/table_counts.h), so the restored table
// answers them from its first DescribeTable. Throws on any failure, and
// std::runtime_error when `stop` is requested; the caller removes `dir`.
// `copied` (when given) follows the base items written so far.
void fill_restored_table(EngineRegistry& engines, const TableSchema& source,
                         const std::string& checkpoint, const TableSchema& target,
                         const std::string& dir, const std::string& scratch,
                         std::stop_token stop, std::atomic<uint64_t>* copied = nullptr);

}  // namespace jormun::storage
