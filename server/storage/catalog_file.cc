#include "storage/catalog_file.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "common/json_writer.h"

namespace jormun::storage {
namespace {

using Writer = PrettyJsonWriter;

void write_key(Writer& w, const KeyAttribute& k) {
  w.StartObject();
  w.Key("name");
  w.String(k.name);
  w.Key("type");
  w.String(model::type_name(k.type));
  w.EndObject();
}

// One JSON object of the catalog. Each accessor checks the member's type,
// and each error names the file, the table and the member's path, so an
// operator knows what to mend.
class Fields {
 public:
  // `where`: the file and the table ("<path>: table \"t\""); `path`: the
  // object's own path below it ("" for the table itself, "partition_key").
  Fields(const rapidjson::Value& v, std::string where, std::string path)
      : v_(v), where_(std::move(where)), path_(std::move(path)) {
    if (!v_.IsObject()) fail_at(path_.empty() ? "the top level" : path_, "an object");
  }

  const std::string& where() const { return where_; }
  std::string field(const std::string& name) const {
    return path_.empty() ? name : path_ + "." + name;
  }
  bool has(const char* name) const { return v_.HasMember(name); }

  const rapidjson::Value& get(const char* name) const {
    auto it = v_.FindMember(name);
    if (it == v_.MemberEnd()) throw DataDirError(where_ + ": " + field(name) + " is missing");
    return it->value;
  }
  std::string string(const char* name) const { return string_at(get(name), field(name)); }
  std::string string_at(const rapidjson::Value& v, const std::string& at) const {
    if (!v.IsString()) fail_at(at, "a string");
    return {v.GetString(), v.GetStringLength()};
  }
  int64_t int64(const char* name) const {
    const auto& v = get(name);
    if (!v.IsInt64()) fail_at(field(name), "an integer");
    return v.GetInt64();
  }
  double number(const char* name) const {
    const auto& v = get(name);
    if (!v.IsNumber()) fail_at(field(name), "a number");
    return v.GetDouble();
  }
  bool boolean(const char* name) const {
    const auto& v = get(name);
    if (!v.IsBool()) fail_at(field(name), "true or false");
    return v.GetBool();
  }
  Fields object(const char* name) const { return Fields(get(name), where_, field(name)); }
  // The elements of an array member, each with its path ("indexes[2]").
  std::vector<std::pair<const rapidjson::Value*, std::string>> array(const char* name) const {
    const auto& v = get(name);
    if (!v.IsArray()) fail_at(field(name), "an array");
    std::vector<std::pair<const rapidjson::Value*, std::string>> out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      out.emplace_back(&v[i], field(name) + "[" + std::to_string(i) + "]");
    return out;
  }
  // The members of an object member as (name, string value).
  std::vector<std::pair<std::string, std::string>> string_map(const char* name) const {
    Fields o = object(name);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& m : o.v_.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      out.emplace_back(key, string_at(m.value, o.field(key)));
    }
    return out;
  }
  [[noreturn]] void fail(const char* name, const std::string& what) const {
    throw DataDirError(where_ + ": " + field(name) + " " + what);
  }

 private:
  [[noreturn]] void fail_at(const std::string& at, const char* type) const {
    throw DataDirError(where_ + ": " + at + " must be " + type);
  }

  const rapidjson::Value& v_;
  std::string where_;
  std::string path_;
};

model::Type key_type(const Fields& f, const char* name) {
  std::string s = f.string(name);
  if (s == "S") return model::Type::S;
  if (s == "N") return model::Type::N;
  if (s == "B") return model::Type::B;
  f.fail(name, "must be S, N or B, not '" + s + "'");
}

KeyAttribute read_key(const Fields& f) { return {f.string("name"), key_type(f, "type")}; }

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
// Stream view types, by DynamoDB's names. DO NOT CHANGE: on disk.
constexpr std::pair<StreamSchema::View, const char*> kStreamViews[] = {
    {StreamSchema::View::kKeysOnly, "KEYS_ONLY"},
    {StreamSchema::View::kNewImage, "NEW_IMAGE"},
    {StreamSchema::View::kOldImage, "OLD_IMAGE"},
    {StreamSchema::View::kNewAndOldImages, "NEW_AND_OLD_IMAGES"},
};

template <typename E, size_t N>
const char* enum_name(const std::pair<E, const char*> (&names)[N], E value) {
  for (const auto& [v, n] : names)
    if (v == value) return n;
  throw std::logic_error("catalog: unnamed enum value");
}

template <typename E, size_t N>
E enum_value(const std::pair<E, const char*> (&names)[N], const Fields& f,
             const char* field) {
  std::string name = f.string(field);
  for (const auto& [v, n] : names)
    if (name == n) return v;
  f.fail(field, "has an unknown value '" + name + "'");
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
  // Only for multi-attribute keys, so other indexes read as before.
  for (const auto& [member, keys] :
       {std::pair{"more_partition_keys", &i.more_partition_keys},
        std::pair{"more_sort_keys", &i.more_sort_keys}}) {
    if (keys->empty()) continue;
    w.Key(member);
    w.StartArray();
    for (const auto& k : *keys) write_key(w, k);
    w.EndArray();
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

IndexSchema read_index(const rapidjson::Value& v, const std::string& table_where,
                       const std::string& at) {
  IndexSchema i;
  i.name = Fields(v, table_where, at).string("name");
  Fields f(v, table_where + ": index \"" + i.name + "\"", "");
  i.global = f.boolean("global");
  i.partition_key = read_key(f.object("partition_key"));
  if (f.has("sort_key")) i.sort_key = read_key(f.object("sort_key"));
  for (const auto& [member, keys] :
       {std::pair{"more_partition_keys", &i.more_partition_keys},
        std::pair{"more_sort_keys", &i.more_sort_keys}}) {
    if (!f.has(member)) continue;
    for (const auto& [k, k_at] : f.array(member))
      keys->push_back(read_key(Fields(*k, f.where(), k_at)));
  }
  i.projection = enum_value(kProjections, f, "projection");
  for (const auto& [a, a_at] : f.array("non_key_attributes"))
    i.non_key_attributes.push_back(f.string_at(*a, a_at));
  i.read_capacity = f.int64("read_capacity");
  i.write_capacity = f.int64("write_capacity");
  i.state = enum_value(kStates, f, "state");
  return i;
}

// The table settings below are written only when not at their default, so
// a catalog written before they existed reads as all defaults.
void write_settings(Writer& w, const TableSchema& t) {
  if (!t.tags.empty()) {
    w.Key("tags");
    w.StartArray();
    for (const auto& tag : t.tags) {
      w.StartObject();
      w.Key("key");
      w.String(tag.key);
      w.Key("value");
      w.String(tag.value);
      w.EndObject();
    }
    w.EndArray();
  }
  if (t.deletion_protection) {
    w.Key("deletion_protection");
    w.Bool(true);
  }
  if (!t.table_class.empty()) {
    w.Key("table_class");
    w.String(t.table_class);
    w.Key("table_class_time");
    w.Double(t.table_class_time);
  }
  if (!t.sse_kms_key_arn.empty()) {
    w.Key("sse_kms_key_arn");
    w.String(t.sse_kms_key_arn);
  }
  const std::pair<const char*, int64_t> numbers[] = {
      {"max_read_request_units", t.max_read_request_units},
      {"max_write_request_units", t.max_write_request_units},
      {"warm_read_units", t.warm_read_units},
      {"warm_write_units", t.warm_write_units},
  };
  for (const auto& [name, value] : numbers)
    if (value != 0) {
      w.Key(name);
      w.Int64(value);
    }
  if (t.pitr.enabled) {
    w.Key("pitr");
    w.StartObject();
    w.Key("recovery_days");
    w.Int64(t.pitr.recovery_days);
    w.Key("enabled_ms");
    w.Int64(t.pitr.enabled_ms);
    w.EndObject();
  }
  if (!t.folder.empty()) {
    w.Key("folder");
    w.String(t.folder);
  }
  if (!t.old_copies.empty()) {
    w.Key("old_copies");
    w.StartArray();
    for (const auto& copy : t.old_copies) w.String(copy);
    w.EndArray();
  }
  if (t.restore) {
    w.Key("restore");
    w.StartObject();
    w.Key("source_backup_arn");
    w.String(t.restore->source_backup_arn);
    w.Key("source_table_arn");
    w.String(t.restore->source_table_arn);
    w.Key("restore_time");
    w.Double(t.restore->restore_time);
    w.EndObject();
  }
}

void read_settings(const Fields& f, TableSchema& s) {
  if (f.has("tags"))
    for (const auto& [t, t_at] : f.array("tags")) {
      Fields tag(*t, f.where(), t_at);
      s.tags.push_back({tag.string("key"), tag.string("value")});
    }
  if (f.has("deletion_protection"))
    s.deletion_protection = f.boolean("deletion_protection");
  if (f.has("table_class")) {
    s.table_class = f.string("table_class");
    s.table_class_time = f.number("table_class_time");
  }
  if (f.has("sse_kms_key_arn")) s.sse_kms_key_arn = f.string("sse_kms_key_arn");
  const std::pair<const char*, int64_t*> numbers[] = {
      {"max_read_request_units", &s.max_read_request_units},
      {"max_write_request_units", &s.max_write_request_units},
      {"warm_read_units", &s.warm_read_units},
      {"warm_write_units", &s.warm_write_units},
  };
  for (const auto& [name, value] : numbers)
    if (f.has(name)) *value = f.int64(name);
  if (f.has("pitr")) {
    Fields p = f.object("pitr");
    s.pitr = PitrSettings{true, p.int64("recovery_days"), p.int64("enabled_ms")};
  }
  // Absent until an engine migration moves the table.
  if (f.has("folder")) s.folder = f.string("folder");
  if (f.has("old_copies"))
    for (const auto& [c, c_at] : f.array("old_copies"))
      s.old_copies.push_back(f.string_at(*c, c_at));
  if (f.has("restore")) {
    Fields r = f.object("restore");
    s.restore = RestoreSummary{r.string("source_backup_arn"), r.string("source_table_arn"),
                               r.number("restore_time"), false};
  }
}

TableSchema read_table(const rapidjson::Value& v, const std::string& path,
                       const std::string& at) {
  TableSchema s;
  s.name = Fields(v, path, at).string("name");
  Fields f(v, path + ": table \"" + s.name + "\"", "");
  s.id = f.string("id");
  s.creation_time = f.number("creation_time");
  s.partition_key = read_key(f.object("partition_key"));
  if (f.has("sort_key")) s.sort_key = read_key(f.object("sort_key"));
  for (const auto& [a, a_at] : f.array("attribute_definitions"))
    s.attribute_definitions.push_back(read_key(Fields(*a, f.where(), a_at)));
  s.billing_mode = f.string("billing_mode");
  s.read_capacity = f.int64("read_capacity");
  s.write_capacity = f.int64("write_capacity");
  s.engine = f.string("engine");
  s.plugin = f.string("plugin");
  s.engine_options = f.string_map("engine_options");
  // Absent in catalogs written before durability existed: not durable.
  if (f.has("durable")) s.durable = f.boolean("durable");
  // Absent in catalogs written before indexes existed: no indexes.
  if (f.has("indexes"))
    for (const auto& [i, i_at] : f.array("indexes"))
      s.indexes.push_back(read_index(*i, f.where(), i_at));
  // Absent in catalogs written before TTL existed, and while it is disabled.
  if (f.has("ttl_attribute")) s.ttl_attribute = f.string("ttl_attribute");
  // Absent in catalogs written before the cooldown existed: no change yet.
  if (f.has("ttl_changed_ms")) s.ttl_changed_ms = f.int64("ttl_changed_ms");
  read_settings(f, s);
  // Absent in catalogs written before streams existed, and in tables that
  // never had one.
  if (f.has("streams"))
    for (const auto& [st, st_at] : f.array("streams")) {
      Fields sf(*st, f.where(), st_at);
      StreamSchema stream;
      stream.number = static_cast<uint64_t>(sf.int64("number"));
      stream.label = sf.string("label");
      stream.view = enum_value(kStreamViews, sf, "view");
      stream.enabled = sf.boolean("enabled");
      s.streams.push_back(std::move(stream));
    }
  return s;
}

}  // namespace

uint64_t sync_tree(const std::string& dir) {
  namespace fs = std::filesystem;
  uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      bytes += entry.file_size();
      fsync_path(entry.path().string(), O_RDONLY);
    } else if (entry.is_directory()) {
      fsync_path(entry.path().string(), O_RDONLY | O_DIRECTORY);
    }
  }
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
  fsync_path(fs::path(dir).parent_path().string(), O_RDONLY | O_DIRECTORY);
  return bytes;
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("fsync " + path + ": " + std::strerror(errno));
}

std::optional<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() ==
      std::filesystem::file_type::not_found)
    return std::nullopt;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw DataDirError(path + ": cannot open: " + std::strerror(errno));
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw DataDirError(path + ": cannot read: " + std::strerror(err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

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

namespace {

// Parses `text` into `doc`; throws DataDirError naming `where` and the
// offset of the first fault.
void parse_json(rapidjson::Document& doc, std::string_view text, const std::string& where) {
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError())
    throw DataDirError(where + ": not valid JSON (" +
                       rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " +
                       std::to_string(doc.GetErrorOffset()) + ")");
}

// One table of the catalog's "tables" or "retired".
void write_table(Writer& w, const TableSchema& t) {
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
  if (!t.ttl_attribute.empty()) {
    w.Key("ttl_attribute");
    w.String(t.ttl_attribute);
  }
  if (t.ttl_changed_ms != 0) {
    w.Key("ttl_changed_ms");
    w.Int64(t.ttl_changed_ms);
  }
  write_settings(w, t);
  if (!t.streams.empty()) {
    w.Key("streams");
    w.StartArray();
    for (const auto& st : t.streams) {
      w.StartObject();
      w.Key("number");
      w.Int64(static_cast<int64_t>(st.number));
      w.Key("label");
      w.String(st.label);
      w.Key("view");
      w.String(enum_name(kStreamViews, st.view));
      w.Key("enabled");
      w.Bool(st.enabled);
      w.EndObject();
    }
    w.EndArray();
  }
  if (t.deleted_ms != 0) {
    w.Key("deleted_ms");
    w.Int64(t.deleted_ms);
  }
  w.EndObject();
}

}  // namespace

void write_catalog(const std::string& path, const std::vector<TableSchema>& tables) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("format");
  w.Int(kCatalogFormat);
  // Deleted tables kept for their streams go apart: a server that does
  // not know them reads "tables" only, and leaves them alone.
  for (const bool retired : {false, true}) {
    w.Key(retired ? "retired" : "tables");
    w.StartArray();
    for (const auto& t : tables)
      if ((t.deleted_ms != 0) == retired) write_table(w, t);
    w.EndArray();
  }
  w.EndObject();
  write_file_atomically(path, std::string(buf.GetString(), buf.GetSize()) + "\n");
}

std::string table_to_json(const TableSchema& table) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  write_table(w, table);
  return std::string(buf.GetString(), buf.GetSize());
}

TableSchema table_from_json(std::string_view json, const std::string& where) {
  rapidjson::Document doc;
  parse_json(doc, json, where);
  return read_table(doc, where, "");
}

std::optional<std::vector<TableSchema>> read_catalog(const std::string& path) {
  std::optional<std::string> text = read_file(path);
  if (!text) return std::nullopt;
  rapidjson::Document doc;
  parse_json(doc, *text, path);
  Fields top(doc, path, "");
  if (top.int64("format") != kCatalogFormat)
    top.fail("format", "is " + std::to_string(top.int64("format")) +
                           ", a catalog format this server does not know (it reads " +
                           std::to_string(kCatalogFormat) + ")");
  std::vector<TableSchema> tables;
  for (const auto& [t, at] : top.array("tables")) tables.push_back(read_table(*t, path, at));
  if (top.has("retired"))
    for (const auto& [t, at] : top.array("retired")) {
      TableSchema s = read_table(*t, path, at);
      Fields f(*t, path + ": retired table \"" + s.name + "\"", "");
      s.deleted_ms = f.int64("deleted_ms");
      if (s.deleted_ms <= 0) f.fail("deleted_ms", "is not a time");
      tables.push_back(std::move(s));
    }
  return tables;
}

}  // namespace jormun::storage
