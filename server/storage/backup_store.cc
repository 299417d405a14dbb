#include "storage/backup_store.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "common/api_error.h"
#include "common/clock.h"
#include "common/log.h"
#include "storage/catalog_file.h"
#include "storage/table_dir.h"

namespace fs = std::filesystem;

namespace jormun::storage {
namespace {

constexpr std::string_view kScratchPrefix = "restore-";
constexpr int kRecordFormat = 1;

std::string new_backup_id(int64_t ms) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%014lld-%08x", static_cast<long long>(ms),
                static_cast<unsigned>(rng()));
  return buf;
}

std::string record_json(const Backup& b) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("format");
  w.Int(kRecordFormat);
  w.Key("name");
  w.String(b.name.c_str(), static_cast<rapidjson::SizeType>(b.name.size()));
  w.Key("created_ms");
  w.Int64(b.created_ms);
  w.Key("size_bytes");
  w.Uint64(b.size_bytes);
  w.Key("item_count");
  w.Uint64(b.item_count);
  w.Key("table_size_bytes");
  w.Uint64(b.table_size_bytes);
  if (b.change_log) {
    w.Key("change_log_end");
    w.Uint64(b.change_log->end);
    w.Key("change_log_time_ms");
    w.Int64(b.change_log->time_ms);
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

// The backup in folder `dir` named `id`; throws std::runtime_error naming
// what is wrong.
Backup read_backup(const std::string& dir, const std::string& id) {
  const std::string path = dir + "/backup.json";
  std::optional<std::string> text = read_file(path);
  rapidjson::Document d;
  if (!text || d.Parse(text->c_str()).HasParseError() || !d.IsObject())
    throw std::runtime_error(path + " is not a backup record");
  auto member = [&](const char* name, bool (rapidjson::Value::*is)() const)
      -> const rapidjson::Value& {
    auto it = d.FindMember(name);
    if (it == d.MemberEnd() || !(it->value.*is)())
      throw std::runtime_error(path + ": \"" + name + "\" is missing or of the wrong type");
    return it->value;
  };
  using V = rapidjson::Value;
  if (member("format", &V::IsInt).GetInt() != kRecordFormat)
    throw std::runtime_error(path + ": unknown format");
  Backup b;
  b.id = id;
  b.name = member("name", &V::IsString).GetString();
  b.created_ms = member("created_ms", &V::IsInt64).GetInt64();
  b.size_bytes = member("size_bytes", &V::IsUint64).GetUint64();
  b.item_count = member("item_count", &V::IsUint64).GetUint64();
  b.table_size_bytes = member("table_size_bytes", &V::IsUint64).GetUint64();
  if (d.HasMember("change_log_end"))
    b.change_log = ChangeLogPosition{member("change_log_end", &V::IsUint64).GetUint64(),
                                     member("change_log_time_ms", &V::IsInt64).GetInt64()};
  auto tables = read_catalog(dir + "/table.json");
  if (!tables || tables->size() != 1)
    throw std::runtime_error(dir + "/table.json does not hold one table");
  b.table = std::move(tables->front());
  return b;
}

}  // namespace

bool is_backup_id(std::string_view id) {
  if (id.size() != 23 || id[14] != '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 14) continue;
    const bool digit = c >= '0' && c <= '9';
    if (i < 14 ? !digit : !(digit || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

BackupStore::BackupStore(std::string dir) : dir_(std::move(dir)) {
  fs::create_directories(dir_);
  std::vector<fs::directory_entry> entries(fs::directory_iterator(dir_), {});
  for (const auto& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::string path = entry.path().string();
    if (name.starts_with(kScratchPrefix)) {
      log::info("removing " + path + ", the scratch copy of an interrupted restore");
      fs::remove_all(path);
      continue;
    }
    if (!is_backup_id(name) || !entry.is_directory()) {
      log::error(path + " is not a backup; left alone");
      continue;
    }
    if (has_marker(path, kCreatingMarker) || has_marker(path, kDeletingMarker) ||
        !fs::exists(path + "/backup.json")) {
      log::info("removing " + path + ", left by an interrupted backup or deletion");
      fs::remove_all(path);
      continue;
    }
    try {
      Backup b = read_backup(path, name);
      backups_.emplace(name, Entry{std::move(b), 0});
    } catch (const std::exception& e) {
      log::error("backup " + path + " is not served, and left alone: " + e.what());
    }
  }
}

Backup BackupStore::create(Table& table, const std::string& name,
                           const Table::Stats& stats, bool quiesced) {
  Backup b;
  b.created_ms = clock::now_ms();
  b.id = new_backup_id(b.created_ms);
  b.name = name;
  b.item_count = stats.item_count;
  b.table_size_bytes = stats.size_bytes;
  const std::string dir = dir_ + "/" + b.id;
  fs::create_directory(dir);
  try {
    // The marker first: until the record is written, start-up knows the
    // folder for a half-written backup.
    write_marker(dir, kCreatingMarker);
    ChangeLogPosition at;
    b.table = table.checkpoint(checkpoint_dir(b.id), quiesced ? &at : nullptr);
    if (quiesced) b.change_log = at;
    b.size_bytes = sync_tree(checkpoint_dir(b.id));
    write_catalog(dir + "/table.json", {b.table});
    write_file_atomically(dir + "/backup.json", record_json(b));
    // The backup's own entry in the backups folder, or a machine crash
    // could lose an acknowledged backup whole.
    fsync_path(dir_, O_RDONLY | O_DIRECTORY);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
  remove_marker(dir, kCreatingMarker);
  std::lock_guard lock(mu_);
  backups_.emplace(b.id, Entry{b, 0});
  return b;
}

std::optional<Backup> BackupStore::find(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = backups_.find(id);
  if (it == backups_.end()) return std::nullopt;
  return it->second.backup;
}

std::vector<Backup> BackupStore::list() const {
  std::vector<Backup> out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, entry] : backups_) out.push_back(entry.backup);
  }
  // Ids start with the creation time, so id order is creation order.
  return out;
}

std::optional<Backup> BackupStore::remove(std::string_view id) {
  std::optional<Backup> gone;
  {
    std::lock_guard lock(mu_);
    auto it = backups_.find(id);
    if (it == backups_.end()) return std::nullopt;
    if (it->second.holds > 0)
      throw ApiError("BackupInUseException",
                     "Backup is being used to restore a table: " + std::string(id));
    // The marker first: once acknowledged, the deletion finishes at the
    // next start if it cannot now.
    write_marker(dir_ + "/" + it->first, kDeletingMarker);
    gone = std::move(it->second.backup);
    backups_.erase(it);
  }
  std::error_code ec;
  fs::remove_all(dir_ + "/" + gone->id, ec);
  if (ec) log::error("deleting backup " + gone->id + ": " + ec.message());
  return gone;
}

std::shared_ptr<const Backup> BackupStore::hold(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = backups_.find(id);
  if (it == backups_.end()) return nullptr;
  ++it->second.holds;
  auto copy = new Backup(it->second.backup);
  return std::shared_ptr<const Backup>(copy, [this](const Backup* b) {
    release(b->id);
    delete b;
  });
}

void BackupStore::release(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto it = backups_.find(id); it != backups_.end()) --it->second.holds;
}

std::string BackupStore::checkpoint_dir(std::string_view id) const {
  return dir_ + "/" + std::string(id) + "/data";
}

std::string BackupStore::scratch_dir(std::string_view name) const {
  return dir_ + "/" + std::string(kScratchPrefix) + std::string(name);
}

}  // namespace jormun::storage
