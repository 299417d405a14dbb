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
#include <utility>

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
  if (it == v.MemberEnd())
    throw std::runtime_error(std::string("catalog: missing ") + name);
  return it->value;
}

std::string str(const rapidjson::Value& v, const char* name) {
  const auto& m = member(v, name);
  if (!m.IsString())
    throw std::runtime_error(std::string("catalog: ") + name + " not a string");
  return m.GetString();
}

KeyAttribute read_key(const rapidjson::Value& v) {
  return {str(v, "name"), key_type(str(v, "type"))};
}

// Index enums are stored by name. DO NOT CHANGE the names: they are on disk.
constexpr std::pair<IndexSchema::Projection, const char*> kProjections[] = {
    {IndexSchema::Projection::kAll, "ALL"},
    {IndexSchema::Projection::kKeysOnly, "KEYS_ONLY"},
    {IndexSchema::Projection::kInclude, "INCLUDE"},
};
constexpr std::pair<IndexSchema::State, const char*> kStates[] = {
    {IndexSchema::State::kActive, "ACTIVE"},
    {IndexSchema::State::kCreating, "CREATING"},
    {IndexSchema::State::kDeleting, "DELETING"},
};

template <typename E, size_t N>
const char* enum_name(const std::pair<E, const char*> (&names)[N], E value) {
  for (const auto& [v, n] : names)
    if (v == value) return n;
  throw std::logic_error("catalog: unnamed enum value");
}

template <typename E, size_t N>
E enum_value(const std::pair<E, const char*> (&names)[N], const std::string& name) {
  for (const auto& [v, n] : names)
    if (name == n) return v;
  throw std::runtime_error("catalog: unknown value '" + name + "'");
}

void write_index(Writer& w, const IndexSchema& i) {
  w.StartObject();
  w.Key("name");
  w.String(i.name);
  w.Key("global");
  w.Bool(i.global);
  w.Key("partition_key");
  write_key(w, i.partition_key);
  if (i.sort_key) {
    w.Key("sort_key");
    write_key(w, *i.sort_key);
  }
  w.Key("projection");
  w.String(enum_name(kProjections, i.projection));
  w.Key("non_key_attributes");
  w.StartArray();
  for (const auto& a : i.non_key_attributes) w.String(a);
  w.EndArray();
  w.Key("read_capacity");
  w.Int64(i.read_capacity);
  w.Key("write_capacity");
  w.Int64(i.write_capacity);
  w.Key("state");
  w.String(enum_name(kStates, i.state));
  w.EndObject();
}

IndexSchema read_index(const rapidjson::Value& v) {
  IndexSchema i;
  i.name = str(v, "name");
  i.global = member(v, "global").GetBool();
  i.partition_key = read_key(member(v, "partition_key"));
  if (v.HasMember("sort_key")) i.sort_key = read_key(v["sort_key"]);
  i.projection = enum_value(kProjections, str(v, "projection"));
  for (const auto& a : member(v, "non_key_attributes").GetArray())
    i.non_key_attributes.emplace_back(a.GetString());
  i.read_capacity = member(v, "read_capacity").GetInt64();
  i.write_capacity = member(v, "write_capacity").GetInt64();
  i.state = enum_value(kStates, str(v, "state"));
  return i;
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
    w.Key("durable");
    w.Bool(t.durable);
    if (!t.indexes.empty()) {
      w.Key("indexes");
      w.StartArray();
      for (const auto& i : t.indexes) write_index(w, i);
      w.EndArray();
    }
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
    // Absent in catalogs written before durability existed: not durable.
    if (t.HasMember("durable")) s.durable = t["durable"].GetBool();
    // Absent in catalogs written before indexes existed: no indexes.
    if (t.HasMember("indexes"))
      for (const auto& i : t["indexes"].GetArray()) s.indexes.push_back(read_index(i));
    tables.push_back(std::move(s));
  }
  return tables;
}

}  // namespace jormun::storage
