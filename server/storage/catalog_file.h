// The catalog on disk: <data_dir>/catalog.json, a list of table schemas:
// "tables", and "retired" for deleted tables kept for their streams
// (TableSchema::deleted_ms set).
// Written atomically (temp file, fsync, rename, fsync of the directory), so a
// crash leaves either the old or the new catalog, never a torn one.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "storage/table_schema.h"

namespace jormun::storage {

// Bumped when the file's meaning changes; older servers refuse newer files.
inline constexpr int kCatalogFormat = 1;

// The data directory is not in a state the server can start from without
// risking data (an unreadable or missing catalog, a table folder that fails
// its identity check). The message names the path; jormundb exits with
// status 3.
class DataDirError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the catalog; nullopt when no file is at `path`. Throws DataDirError,
// naming the path (and the table and field where one is at fault), when the
// file cannot be read, is not JSON, has an unknown format or a field of the
// wrong type.
std::optional<std::vector<TableSchema>> read_catalog(const std::string& path);
void write_catalog(const std::string& path, const std::vector<TableSchema>& tables);

// One table's schema as the catalog writes it (a JSON object), and back:
// what the shared catalog of a cluster keeps per table
// (storage/shared_catalog.h). table_from_json throws DataDirError naming
// `where` and the field at fault.
std::string table_to_json(const TableSchema& table);
TableSchema table_from_json(std::string_view json, const std::string& where);

// The whole file at `path`; nullopt when there is none. A file that exists
// but cannot be read (a directory in its place, no permission, an I/O error)
// throws DataDirError naming the path: it is never taken for "no file".
std::optional<std::string> read_file(const std::string& path);

// fsync(2) of the file or folder at `path`, opened with open(2) `flags`
// (O_RDONLY, plus O_DIRECTORY for a folder). Throws std::runtime_error.
void fsync_path(const std::string& path, int flags);

// Makes every file and folder under `dir`, `dir` itself and its entry in
// its parent durable (what a copy or an engine's checkpoint wrote without
// syncing), and returns the files' total size. Throws std::runtime_error.
uint64_t sync_tree(const std::string& dir);

// Writes `contents` to `path` atomically and durably.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace jormun::storage
