#include "replication/followed_primary.h"

#include <rapidjson/document.h>

#include <filesystem>

#include "common/json_writer.h"
#include "storage/catalog_file.h"

namespace jormun::replication {
namespace {

std::string path_of(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "replication" / "follower.json").string();
}

}  // namespace

std::optional<std::string> read_followed_primary(const std::string& data_dir) {
  const std::string path = path_of(data_dir);
  auto text = storage::read_file(path);
  if (!text) return std::nullopt;
  rapidjson::Document d;
  d.Parse(text->c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("primary_id") ||
      !d["primary_id"].IsString())
    throw storage::DataDirError(path +
                                ": not a follower record (remove it: the follower "
                                "then copies every table again)");
  return std::string(d["primary_id"].GetString());
}

void write_followed_primary(const std::string& data_dir, const std::string& primary_id) {
  const std::string path = path_of(data_dir);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("primary_id");
  w.String(primary_id.c_str());
  w.EndObject();
  storage::write_file_atomically(
      path, std::string(buffer.GetString(), buffer.GetSize()) + "\n");
}

}  // namespace jormun::replication
