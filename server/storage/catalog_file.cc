#include "storage/catalog_file.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace jormun::storage {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("fsync " + path + ": " + std::strerror(errno));
}

model::Type key_type(const std::string& s) {
  if (s == "S") return model::Type::S;
  if (s == "N") return model::Type::N;
  if (s == "B") return model::Type::B;
  throw std::runtime_error("catalog: bad key type '" + s + "'");
}

void write_key(Writer& w, const KeyAttribute& k) {
  w.StartObject();
  w.Key("name");
  w.String(k.name);
  w.Key("type");
  w.String(model::type_name(k.type));
  w.EndObject();
}

const rapidjson::Value& member(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd()) throw std::runtime_error(std::string("catalog: missing ") + name);
  return it->value;
}

std::string str(const rapidjson::Value& v, const char* name) {
  const auto& m = member(v, name);
  if (!m.IsString()) throw std::runtime_error(std::string("catalog: ") + name + " not a string");
  return m.GetString();
}

KeyAttribute read_key(const rapidjson::Value& v) {
  return {str(v, "name"), key_type(str(v, "type"))};
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) throw std::runtime_error("write " + tmp + " failed");
  }
  fsync_path(tmp, O_RDONLY);
  std::filesystem::rename(tmp, path);
  fsync_path(std::filesystem::path(path).parent_path().string(), O_RDONLY | O_DIRECTORY);
}

void write_catalog(const std::string& path, const std::vector<TableSchema>& tables) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("format");
  w.Int(kCatalogFormat);
  w.Key("tables");
  w.StartArray();
  for (const auto& t : tables) {
    w.StartObject();
    w.Key("name");
    w.String(t.name);
    w.Key("id");
    w.String(t.id);
    w.Key("creation_time");
    w.Double(t.creation_time);
    w.Key("partition_key");
    write_key(w, t.partition_key);
    if (t.sort_key) {
      w.Key("sort_key");
      write_key(w, *t.sort_key);
    }
    w.Key("attribute_definitions");
    w.StartArray();
    for (const auto& a : t.attribute_definitions) write_key(w, a);
    w.EndArray();
    w.Key("billing_mode");
    w.String(t.billing_mode);
    w.Key("read_capacity");
    w.Int64(t.read_capacity);
    w.Key("write_capacity");
    w.Int64(t.write_capacity);
    w.Key("engine");
    w.String(t.engine);
    w.Key("plugin");
    w.String(t.plugin);
    w.Key("engine_options");
    w.StartObject();
    for (const auto& [k, v] : t.engine_options) {
      w.Key(k);
      w.String(v);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  write_file_atomically(path, std::string(buf.GetString(), buf.GetSize()) + "\n");
}

std::vector<TableSchema> read_catalog(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(ss.str());
  if (doc.HasParseError() || !doc.IsObject())
    throw std::runtime_error(path + ": not a valid catalog file");
  const auto& format = member(doc, "format");
  if (!format.IsInt() || format.GetInt() != kCatalogFormat)
    throw std::runtime_error(path + ": unsupported catalog format");
  std::vector<TableSchema> tables;
  for (const auto& t : member(doc, "tables").GetArray()) {
    TableSchema s;
    s.name = str(t, "name");
    s.id = str(t, "id");
    s.creation_time = member(t, "creation_time").GetDouble();
    s.partition_key = read_key(member(t, "partition_key"));
    if (t.HasMember("sort_key")) s.sort_key = read_key(t["sort_key"]);
    for (const auto& a : member(t, "attribute_definitions").GetArray())
      s.attribute_definitions.push_back(read_key(a));
    s.billing_mode = str(t, "billing_mode");
    s.read_capacity = member(t, "read_capacity").GetInt64();
    s.write_capacity = member(t, "write_capacity").GetInt64();
    s.engine = str(t, "engine");
    s.plugin = str(t, "plugin");
    for (const auto& o : member(t, "engine_options").GetObject())
      s.engine_options.emplace_back(o.name.GetString(), o.value.GetString());
    tables.push_back(std::move(s));
  }
  return tables;
}

}  // namespace jormun::storage
