#include "storage/replication_followers.h"

#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/json_writer.h"
#include "common/log.h"
#include "storage/catalog_file.h"

namespace jormun::storage {

ReplicationFollowers::ReplicationFollowers(const std::string& data_dir)
    : path_((std::filesystem::path(data_dir) / "replication" / "followers.json").string()) {
  std::ifstream in(path_);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document d;
  d.Parse(text.str().c_str());
  if (d.HasParseError() || !d.IsArray())
    throw std::runtime_error(path_ + ": not a list of followers");
  for (const auto& f : d.GetArray()) {
    if (!f.IsObject() || !f.HasMember("id") || !f["id"].IsString() || !f.HasMember("url") ||
        !f["url"].IsString())
      throw std::runtime_error(path_ + ": a follower without an id and a url");
    Follower follower;
    follower.id = f["id"].GetString();
    follower.url = f["url"].GetString();
    followers_.emplace(follower.id, std::move(follower));
  }
}

void ReplicationFollowers::seen(const std::string& id, const std::string& url,
                                std::map<std::string, uint64_t> applied, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Follower& f = followers_[id];
  const bool changed = f.id != id || f.url != url;
  f.id = id;
  f.url = url;
  f.last_seen_ms = now_ms;
  f.applied = std::move(applied);
  if (!changed) return;
  try {
    write_locked();
  } catch (const std::exception& e) {
    log::error("could not record follower " + id + " (" + url + ") in " + path_ + ": " +
               e.what());
  }
}

std::vector<ReplicationFollowers::Follower> ReplicationFollowers::list() const {
  std::lock_guard lock(mu_);
  std::vector<Follower> out;
  for (const auto& [id, f] : followers_) out.push_back(f);
  return out;
}

void ReplicationFollowers::write_locked() const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const auto& [id, f] : followers_) {
    w.StartObject();
    w.Key("id");
    w.String(f.id.c_str());
    w.Key("url");
    w.String(f.url.c_str());
    w.EndObject();
  }
  w.EndArray();
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
  write_file_atomically(path_, std::string(buffer.GetString(), buffer.GetSize()) + "\n");
}

}  // namespace jormun::storage
