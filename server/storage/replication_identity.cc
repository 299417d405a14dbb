#include "storage/replication_identity.h"

#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "common/json_writer.h"
#include "storage/catalog_file.h"

namespace jormun::storage {
namespace {

std::string new_id() {
  std::random_device os;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(os()));
    out += part;
  }
  return out;
}

}  // namespace

ReplicationIdentity::ReplicationIdentity(const std::string& data_dir)
    : path_((std::filesystem::path(data_dir) / "replication" / "identity.json").string()) {
  std::ifstream in(path_);
  if (!in) {
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
    id_ = new_id();
    std::lock_guard lock(mu_);
    write_locked();
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document d;
  d.Parse(text.str().c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("id") || !d["id"].IsString())
    throw std::runtime_error(path_ + ": not a replication identity (remove it to make a new one)");
  id_ = d["id"].GetString();
  if (d.HasMember("promoted_from") && d["promoted_from"].IsString())
    promoted_from_ = d["promoted_from"].GetString();
}

std::optional<std::string> ReplicationIdentity::promoted_from() const {
  std::lock_guard lock(mu_);
  return promoted_from_;
}

void ReplicationIdentity::promote(const std::string& primary_id) {
  std::lock_guard lock(mu_);
  const auto before = promoted_from_;
  promoted_from_ = primary_id;
  try {
    write_locked();
  } catch (...) {
    promoted_from_ = before;
    throw;
  }
}

void ReplicationIdentity::write_locked() const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("id");
  w.String(id_.c_str());
  if (promoted_from_) {
    w.Key("promoted_from");
    w.String(promoted_from_->c_str());
  }
  w.EndObject();
  write_file_atomically(path_, std::string(buffer.GetString(), buffer.GetSize()) + "\n");
}

}  // namespace jormun::storage
