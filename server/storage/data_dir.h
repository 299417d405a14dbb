// The data directory: catalog.json, tables/<name>/ (one folder per table,
// see table_dir.h; "<name>@<hex>" for a table an engine migration moved,
// and the old copies such migrations left, until dropped), migrations/
// (the snapshots of migrations running; emptied at start-up), backups/ (unless configured elsewhere; see
// backup_store.h), retired/<table id>/ (deleted tables kept while their
// streams are readable, listed in the catalog's "retired"), orphans/
// (folders nothing explains, moved aside) and stream-iterator-key.
//
// Start-up never deletes what it cannot prove is garbage: absence from the
// catalog proves nothing (the catalog may be lost or old), so only folders
// whose own marker says a create or drop was interrupted are deleted, and
// anything the catalog and the markers cannot explain stops start-up or is
// moved aside.
#pragma once

#include <string>
#include <vector>

#include "storage/table_schema.h"

namespace jormun::storage {

std::string catalog_path(const std::string& data_dir);
std::string table_dir(const std::string& data_dir, const std::string& name);
std::string retired_dir(const std::string& data_dir, const std::string& id);
std::string orphans_dir(const std::string& data_dir);
// Where backups live (storage/backup_store.h): `configured` (the config's
// backups.dir) when given, else <data_dir>/backups.
std::string backups_dir(const std::string& data_dir, const std::string& configured);
// Where point-in-time recovery keeps its checkpoints: <data_dir>/pitr, on
// the tables' file system, so engines that hard-link can.
std::string pitr_dir(const std::string& data_dir);
// Where engine migrations keep their snapshots (storage/catalog_migrate.h);
// prepare_data_dir empties it.
std::string migrations_dir(const std::string& data_dir);

// Reconciles the data directory with its catalog before any table opens and
// returns the catalog's tables:
// - No catalog.json: with tables/ empty this is a first start and an empty
//   catalog is written; with anything in tables/ it throws DataDirError.
// - An unreadable or malformed catalog.json throws DataDirError.
// - A listed table whose folder is missing, is empty without an id marker,
//   or whose id marker names another table: DataDirError naming every such
//   table and folder; nothing is changed.
// - A listed table's folder with engine files but no id marker (created
//   before markers existed) gets its marker; stale create or drop markers of
//   listed tables are removed (that create committed, that drop did not).
// - A listed retired table whose move from tables/ a stop interrupted is
//   moved; one whose folder is gone is left out (logged); anything in
//   retired/ not listed goes through clear_leftover.
// - A listed table's old copies (TableSchema::old_copies) are kept.
// - Anything else under tables/ goes through clear_leftover.
std::vector<TableSchema> prepare_data_dir(const std::string& data_dir);

// A folder at `dir` that no table owns: deleted when a create or drop marker
// in it says it is one's leftover, otherwise moved to orphans/ and logged.
// Throws std::filesystem::filesystem_error when it can do neither.
void clear_leftover(const std::string& data_dir, const std::string& dir);

}  // namespace jormun::storage
