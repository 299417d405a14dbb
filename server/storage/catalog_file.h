// The catalog on disk: <data_dir>/catalog.json, a list of table schemas.
// Written atomically (temp file, fsync, rename, fsync of the directory), so a
// crash leaves either the old or the new catalog, never a torn one.
#pragma once

#include <string>
#include <vector>

#include "storage/table_schema.h"

namespace jormun::storage {

// Bumped when the file's meaning changes; older servers refuse newer files.
inline constexpr int kCatalogFormat = 1;

// Reads the catalog; an absent file is an empty catalog. Throws
// std::runtime_error on a corrupt file or an unknown format.
std::vector<TableSchema> read_catalog(const std::string& path);
void write_catalog(const std::string& path, const std::vector<TableSchema>& tables);

// Writes `contents` to `path` atomically and durably.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace jormun::storage
