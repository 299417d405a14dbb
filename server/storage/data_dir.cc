#include "storage/data_dir.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "common/log.h"
#include "storage/catalog_file.h"
#include "storage/table_dir.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

// Why the folder of listed table `s` must not be opened, or nullopt.
std::optional<std::string> identity_problem(const TableSchema& s, const std::string& dir) {
  const std::string table = "table \"" + s.name + "\": ";
  std::error_code ec;
  if (fs::symlink_status(dir, ec).type() == fs::file_type::not_found)
    return table + "its folder " + dir + " is missing";
  if (!fs::is_directory(dir, ec)) return table + dir + " is not a folder";
  if (std::optional<std::string> id = read_table_id(dir)) {
    if (*id == s.id) return std::nullopt;
    return table + dir + "/" + std::string(kTableIdMarker) + " holds the id '" + *id +
           "', the catalog says " + s.id + ": the folder belongs to another table";
  }
  if (!has_engine_files(dir))
    return table + "its folder " + dir +
           " is empty (an unmounted or replaced volume?); it is not served as an empty table";
  return std::nullopt;
}

// A listed table's folder that passed identity_problem: brings its markers
// up to date.
void settle_markers(const TableSchema& s, const std::string& dir) {
  if (!read_table_id(dir)) {
    write_marker(dir, kTableIdMarker, s.id + "\n");
    log::info("table " + s.name + ": wrote its id into " + dir + "/" +
              std::string(kTableIdMarker) + " (created before table ids were kept there)");
  }
  // A create committed by its catalog write, or a drop that never was.
  remove_marker(dir, kCreatingMarker);
  remove_marker(dir, kDeletingMarker);
}

std::string folder_of(const std::string& data_dir, const TableSchema& s) {
  return s.deleted_ms != 0 ? retired_dir(data_dir, s.id) : table_dir(data_dir, s.folder_name());
}

// The folders of deleted tables kept for their streams (retired/<id>):
// finishes the move of a listed one that a stop interrupted (its folder is
// still tables/<name>, holding its id and the drop's marker), forgets a
// listed one whose folder is gone, and clears what is in retired/ but not
// listed as clear_leftover does.
void settle_retired(const std::string& data_dir, std::vector<TableSchema>& schemas) {
  const fs::path retired = fs::path(data_dir) / "retired";
  fs::create_directories(retired);
  std::error_code ec;
  std::erase_if(schemas, [&](const TableSchema& s) {
    if (s.deleted_ms == 0) return false;
    const std::string dir = retired_dir(data_dir, s.id);
    if (fs::exists(dir, ec)) return false;
    const std::string old = table_dir(data_dir, s.folder_name());
    if (read_table_id(old) == s.id && has_marker(old, kDeletingMarker)) {
      fs::rename(old, dir);
      log::info("moved " + old + " to " + dir + " (deleted table kept for its streams)");
      return false;
    }
    log::error("deleted table " + s.name + " (" + s.id + "): its streams' folder " + dir +
               " is gone; they are no longer listed");
    return true;
  });
  for (const auto& entry : fs::directory_iterator(retired)) {
    const std::string id = entry.path().filename().string();
    const bool listed = std::any_of(schemas.begin(), schemas.end(), [&](const TableSchema& s) {
      return s.deleted_ms != 0 && s.id == id;
    });
    if (!listed) clear_leftover(data_dir, entry.path().string());
  }
}

}  // namespace

std::string catalog_path(const std::string& data_dir) {
  return (fs::path(data_dir) / "catalog.json").string();
}

std::string table_dir(const std::string& data_dir, const std::string& name) {
  return (fs::path(data_dir) / "tables" / name).string();
}

std::string retired_dir(const std::string& data_dir, const std::string& id) {
  return (fs::path(data_dir) / "retired" / id).string();
}

std::string orphans_dir(const std::string& data_dir) {
  return (fs::path(data_dir) / "orphans").string();
}

std::string backups_dir(const std::string& data_dir, const std::string& configured) {
  return configured.empty() ? (fs::path(data_dir) / "backups").string() : configured;
}

std::string pitr_dir(const std::string& data_dir) {
  return (fs::path(data_dir) / "pitr").string();
}

std::string migrations_dir(const std::string& data_dir) {
  return (fs::path(data_dir) / "migrations").string();
}

std::vector<TableSchema> prepare_data_dir(const std::string& data_dir) {
  const fs::path tables = fs::path(data_dir) / "tables";
  fs::create_directories(tables);
  const std::string path = catalog_path(data_dir);
  // Only snapshots of migrations a stop interrupted: the tables they copied
  // are still served from their own folders.
  std::error_code ec;
  fs::remove_all(migrations_dir(data_dir), ec);
  if (ec) log::error("could not remove " + migrations_dir(data_dir) + ": " + ec.message());
  std::optional<std::vector<TableSchema>> schemas = read_catalog(path);
  if (schemas) settle_retired(data_dir, *schemas);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(tables))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());

  if (!schemas) {
    if (!names.empty())
      throw DataDirError(path + " is missing, but " + tables.string() + " holds " +
                         std::to_string(names.size()) + " entries (first: " + names[0] +
                         "); refusing to start rather than take them for garbage. Restore "
                         "catalog.json, or move tables/ away to start with no tables.");
    write_catalog(path, {});
    log::info("new data directory: wrote " + path);
    return {};
  }

  std::string problems;
  for (const auto& s : *schemas)
    if (auto problem = identity_problem(s, folder_of(data_dir, s)))
      problems += "\n  " + *problem;
  if (!problems.empty())
    throw DataDirError(
        "refusing to start; nothing was changed:" + problems +
        "\nMount or restore the folders. To accept that a table's data is lost, write its "
        "id (in " + path + ") into the folder's " + std::string(kTableIdMarker) + ".");

  for (const auto& s : *schemas) settle_markers(s, folder_of(data_dir, s));
  for (const auto& name : names) {
    bool listed = std::any_of(schemas->begin(), schemas->end(), [&](const TableSchema& s) {
      return s.deleted_ms == 0 &&
             (s.folder_name() == name || std::count(s.old_copies.begin(),
                                                    s.old_copies.end(), name) > 0);
    });
    if (!listed) clear_leftover(data_dir, (tables / name).string());
  }
  return std::move(*schemas);
}

void clear_leftover(const std::string& data_dir, const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec) &&
      (has_marker(dir, kCreatingMarker) || has_marker(dir, kDeletingMarker))) {
    log::info("removing " + dir + ", left by an interrupted create or delete");
    remove_table_dir(dir);
    return;
  }
  std::string moved = move_table_dir_aside(dir, orphans_dir(data_dir));
  log::error(dir + " belongs to no table and no marker explains it: moved to " + moved);
}

}  // namespace jormun::storage
