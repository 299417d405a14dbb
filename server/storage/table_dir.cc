#include "storage/table_dir.h"

#include <filesystem>

#include "common/log.h"
#include "storage/catalog_file.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

bool is_marker(const fs::path& name) {
  return name == kTableIdMarker || name == kCreatingMarker || name == kDeletingMarker ||
         name == kCountsMarker;
}

}  // namespace

void write_marker(const std::string& dir, std::string_view name,
                  const std::string& contents) {
  write_file_atomically((fs::path(dir) / name).string(), contents);
}

bool has_marker(const std::string& dir, std::string_view name) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / name, ec);
}

void remove_marker(const std::string& dir, std::string_view name) noexcept {
  std::error_code ec;
  fs::remove(fs::path(dir) / name, ec);
  if (ec) log::error("could not remove " + (fs::path(dir) / name).string() + ": " + ec.message());
}

std::optional<std::string> read_table_id(const std::string& dir) {
  std::optional<std::string> id = read_file((fs::path(dir) / kTableIdMarker).string());
  // The marker is written with a newline, which a hand-made one may lack.
  if (id && !id->empty() && id->back() == '\n') id->pop_back();
  return id;
}

bool has_engine_files(const std::string& dir) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (!is_marker(entry.path().filename())) return true;
  return false;
}

void remove_table_dir(const std::string& dir) noexcept {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (!is_marker(it->path().filename())) fs::remove_all(it->path(), ec);
  if (!ec) fs::remove_all(dir, ec);
  if (ec) log::error("could not remove " + dir + ": " + ec.message());
}

std::string move_table_dir_aside(const std::string& dir, const std::string& orphans_dir) {
  fs::create_directories(orphans_dir);
  const std::string name = fs::path(dir).filename().string();
  fs::path target = fs::path(orphans_dir) / name;
  for (int n = 1; fs::exists(target); ++n)
    target = fs::path(orphans_dir) / (name + "." + std::to_string(n));
  fs::rename(dir, target);
  return target.string();
}

}  // namespace jormun::storage
