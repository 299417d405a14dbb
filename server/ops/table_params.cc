#include "ops/table_params.h"

namespace jormun::ops {
namespace {

// NonKeyAttributes of one index (the API's own limit; the total across
// indexes is DynamoDB's service quota).
constexpr size_t kMaxNonKeyAttributes = 20;

}  // namespace

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::vector<storage::KeyAttribute> read_attribute_definitions(Params& p) {
  std::vector<storage::KeyAttribute> defs;
  const rapidjson::Value* list = p.list("AttributeDefinitions");
  p.not_null(list, "attributeDefinitions");
  if (!list) return defs;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const auto& e = (*list)[i];
    Params::expect_object(e);
    Params el(e);
    std::string path = "attributeDefinitions." + std::to_string(i + 1) + ".member.";
    auto name = el.string("AttributeName");
    auto type = el.string("AttributeType");
    p.not_null(name ? &*name : nullptr, path + "attributeName");
    if (name) p.length_between(*name, path + "attributeName", 1, 255);
    p.not_null(type ? &*type : nullptr, path + "attributeType");
    p.one_of(type, path + "attributeType", {"B", "N", "S"});
    if (name && type && (*type == "S" || *type == "N" || *type == "B"))
      defs.push_back({std::string(*name), *model::type_from_name(*type)});
  }
  return defs;
}

std::vector<KeyElement> read_key_schema(Params& p, const rapidjson::Value* list,
                                        const std::string& path, bool check_key_type,
                                        bool multi_attribute) {
  std::vector<KeyElement> keys;
  p.not_null(list, path);
  if (!list) return keys;
  Params::expect_list(*list);
  if (list->Size() == 0)
    p.violation("'[]'", path, "Member must have length greater than or equal to 1");
  if (list->Size() > 2 && !multi_attribute)
    p.violation("'[...]'", path, "Member must have length less than or equal to 2");
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const auto& e = (*list)[i];
    Params::expect_object(e);
    Params el(e);
    std::string at = path + "." + std::to_string(i + 1) + ".member.";
    auto name = el.string("AttributeName");
    auto type = el.string("KeyType");
    p.not_null(name ? &*name : nullptr, at + "attributeName");
    if (name) p.length_between(*name, at + "attributeName", 1, 255);
    p.not_null(type ? &*type : nullptr, at + "keyType");
    if (check_key_type) p.one_of(type, at + "keyType", {"HASH", "RANGE"});
    keys.push_back({name ? std::string(*name) : "", type ? std::string(*type) : ""});
  }
  return keys;
}

std::optional<Throughput> read_throughput(Params& p, const rapidjson::Value* pt,
                                          const std::string& path) {
  if (!pt) return std::nullopt;
  Params::expect_object(*pt);
  Params t(*pt);
  auto write = t.integer("WriteCapacityUnits");
  auto read = t.integer("ReadCapacityUnits");
  p.not_null(write ? &*write : nullptr, path + ".writeCapacityUnits");
  p.not_null(read ? &*read : nullptr, path + ".readCapacityUnits");
  if (write && *write < 1)
    p.violation("'" + std::to_string(*write) + "'", path + ".writeCapacityUnits",
                "Member must have value greater than or equal to 1");
  if (read && *read < 1)
    p.violation("'" + std::to_string(*read) + "'", path + ".readCapacityUnits",
                "Member must have value greater than or equal to 1");
  return Throughput{read.value_or(0), write.value_or(0)};
}

IndexDefinition read_index_definition(Params& p, const rapidjson::Value& v,
                                      const std::string& path, bool global) {
  Params::expect_object(v);
  Params el(v);
  IndexDefinition d;
  d.keys = read_key_schema(p, el.list("KeySchema"), path + ".keySchema", false, global);
  const rapidjson::Value* projection = el.object("Projection");
  p.not_null(projection, path + ".projection");
  if (projection) {
    Params pr(*projection);
    auto type = pr.string("ProjectionType");
    p.one_of(type, path + ".projection.projectionType", {"ALL", "INCLUDE", "KEYS_ONLY"});
    if (type) d.projection_type = std::string(*type);
    if (const rapidjson::Value* attrs = pr.list("NonKeyAttributes")) {
      d.non_key_attributes.emplace();
      for (const auto& a : attrs->GetArray())
        d.non_key_attributes->emplace_back(Params::string_at(a));
      // A list of strings is echoed as Java prints it: "[a, b]".
      std::string shown = "'[" + join(*d.non_key_attributes) + "]'";
      if (attrs->Size() == 0)
        p.violation(shown, path + ".projection.nonKeyAttributes",
                    "Member must have length greater than or equal to 1");
      if (attrs->Size() > kMaxNonKeyAttributes)
        p.violation(shown, path + ".projection.nonKeyAttributes",
                    "Member must have length less than or equal to " +
                        std::to_string(kMaxNonKeyAttributes));
    }
  }
  auto name = el.string("IndexName");
  p.not_null(name ? &*name : nullptr, path + ".indexName");
  if (name) {
    d.name = std::string(*name);
    // DynamoDB reports the length before the pattern here (unlike for
    // ListTables' ExclusiveStartTableName).
    p.length_between(d.name, path + ".indexName", 3, 255);
    p.name_pattern(d.name, path + ".indexName");
  }
  if (global)
    d.throughput = read_throughput(p, el.object("ProvisionedThroughput"),
                                   path + ".provisionedThroughput");
  return d;
}

std::optional<std::vector<IndexDefinition>> read_index_list(Params& p, const char* member,
                                                            bool global) {
  const rapidjson::Value* list = p.list(member);
  if (!list) return std::nullopt;
  std::vector<IndexDefinition> out;
  std::string path = lower_first(member) + ".";
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
    out.push_back(read_index_definition(
        p, (*list)[i], path + std::to_string(i + 1) + ".member", global));
  return out;
}

}  // namespace jormun::ops
