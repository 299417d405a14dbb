// A table's folder, <data_dir>/tables/<name>/: the engine instance's files
// plus the server's marker files beside them. The markers let start-up tell
// a table's data from garbage without trusting absence from the catalog:
//   jormun-table-id   the table id, written when the table is created; a
//                     folder whose id differs from the catalog's, or that has
//                     none and is empty, is not the table's data.
//   jormun-creating   written before a create does anything; the create is
//                     committed when the catalog lists the table.
//   jormun-deleting   written before a drop's catalog write; the drop is
//                     committed when the catalog no longer lists the table.
//   jormun-counts     the table's item counts and sizes as it last closed,
//                     removed before its next write (storage/table_counts.h).
// Marker names are on disk: DO NOT CHANGE them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jormun::storage {

inline constexpr std::string_view kTableIdMarker = "jormun-table-id";
inline constexpr std::string_view kCreatingMarker = "jormun-creating";
inline constexpr std::string_view kDeletingMarker = "jormun-deleting";
inline constexpr std::string_view kCountsMarker = "jormun-counts";

// Writes marker `name` into folder `dir` atomically and durably, holding
// `contents`. Throws std::runtime_error naming the path.
void write_marker(const std::string& dir, std::string_view name,
                  const std::string& contents = {});
bool has_marker(const std::string& dir, std::string_view name);
// Removes marker `name` if present; a failure is logged, not thrown (a
// stale marker is resolved by the catalog at the next start).
void remove_marker(const std::string& dir, std::string_view name) noexcept;

// The id in the folder's jormun-table-id; nullopt when there is none.
// Throws DataDirError naming the path when it exists but cannot be read.
std::optional<std::string> read_table_id(const std::string& dir);

// Whether the folder holds anything besides the markers.
bool has_engine_files(const std::string& dir);

// Deletes the folder of a create or drop that a marker records, the markers
// last: a deletion that fails half way leaves a folder start-up still
// recognises. A failure is logged: the next start, or the next create of the
// name, deletes the rest.
void remove_table_dir(const std::string& dir) noexcept;

// Moves a folder nothing explains to <orphans_dir>/<its name> (".1", ".2"...
// appended when taken) and returns the new path. Throws
// std::filesystem::filesystem_error (a different file system, no space).
std::string move_table_dir_aside(const std::string& dir,
                                 const std::string& orphans_dir);

}  // namespace jormun::storage
