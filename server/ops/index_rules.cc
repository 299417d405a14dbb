#include "ops/index_rules.h"

#include <algorithm>
#include <set>

#include "common/api_error.h"

namespace jormun::ops {
namespace {

constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxGlobalIndexes = 20;
constexpr size_t kMaxProjectedAttributes = 100;
// HASH and RANGE attributes each of a GSI's multi-attribute key.
constexpr size_t kMaxKeyAttributes = 4;
const std::string kInvalid = "One or more parameter values were invalid: ";

const storage::KeyAttribute* definition(const std::vector<storage::KeyAttribute>& defs,
                                        const std::string& name) {
  for (const auto& d : defs)
    if (d.name == name) return &d;
  return nullptr;
}

// An attribute named twice in a GSI KeySchema of more than two elements
// (two elements keep DynamoDB's older message, checked by the caller).
void check_multi_attribute_names(const std::vector<KeyElement>& keys) {
  if (keys.size() <= 2) return;
  std::set<std::string> seen;
  for (const auto& k : keys)
    if (!seen.insert(k.name).second)
      throw ApiError::validation("Invalid KeySchema: The attribute " + k.name +
                                 " appears more than once in the KeySchema");
}

std::string ordinal(size_t i) {
  static constexpr const char* kWords[] = {"first", "second", "third",   "fourth",
                                           "fifth", "sixth",  "seventh", "eighth"};
  return i < std::size(kWords) ? kWords[i] : std::to_string(i + 1) + "th";
}

// After a leading HASH: HASH or RANGE each, every HASH before every RANGE, at
// most kMaxKeyAttributes of each (a GSI's multi-attribute key).
void check_multi_attribute_roles(const std::vector<KeyElement>& keys) {
  size_t hash = 0, range = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& type = keys[i].key_type;
    if (type != "HASH" && type != "RANGE")
      throw ApiError::validation("Invalid KeySchema: The " + ordinal(i) +
                                 " KeySchemaElement is not a RANGE key type");
    if (type == "HASH" && range > 0)
      throw ApiError::validation(
          "Invalid KeySchema: All HASH key elements must come before the RANGE key "
          "elements");
    ++(type == "HASH" ? hash : range);
  }
  for (auto [count, type] : {std::pair{hash, "HASH"}, std::pair{range, "RANGE"}})
    if (count > kMaxKeyAttributes)
      throw ApiError::validation("Invalid KeySchema: The number of " + std::string(type) +
                                 " key elements exceeds the limit of " +
                                 std::to_string(kMaxKeyAttributes));
}

}  // namespace

void check_index_definition(const IndexDefinition& d,
                            const std::vector<storage::KeyAttribute>& defs, bool global) {
  std::vector<std::string> key_names, def_names;
  for (const auto& k : d.keys) key_names.push_back(k.name);
  for (const auto& a : defs) def_names.push_back(a.name);
  for (const auto& k : d.keys)
    if (!definition(defs, k.name))
      throw ApiError::validation(kInvalid +
                                 "Some index key attributes are not defined in "
                                 "AttributeDefinitions. Keys: [" +
                                 join(key_names) + "], AttributeDefinitions: [" +
                                 join(def_names) + "]");
  if (d.keys.size() == 2 && d.keys[0].name == d.keys[1].name)
    throw ApiError::validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same "
        "name");
  if (global) check_multi_attribute_names(d.keys);
  if (d.keys[0].key_type != "HASH")
    throw ApiError::validation(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (!global) {
    if (d.keys.size() == 2 && d.keys[1].key_type != "RANGE")
      throw ApiError::validation(
          "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    return;
  }
  check_multi_attribute_roles(d.keys);
}

void check_projection(const IndexDefinition& d) {
  if (!d.projection_type)
    throw ApiError::validation(kInvalid + "Unknown ProjectionType: null");
  if (d.non_key_attributes && *d.projection_type != "INCLUDE")
    throw ApiError::validation(kInvalid + "ProjectionType is " + *d.projection_type +
                               ", but NonKeyAttributes is specified");
  if (!d.non_key_attributes && *d.projection_type == "INCLUDE")
    throw ApiError::validation(
        kInvalid + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  std::set<std::string> names;
  for (const auto& name : d.non_key_attributes.value_or(std::vector<std::string>{}))
    if (!names.insert(name).second)
      throw ApiError::validation("Cannot have two attributes with the same name");
}

void check_projected_total(const std::vector<storage::IndexSchema>& indexes) {
  size_t total = 0;
  for (const auto& i : indexes) total += i.non_key_attributes.size();
  if (total > kMaxProjectedAttributes)
    throw ApiError::validation(kInvalid +
                               "Number of projected attributes in all indexes exceeds "
                               "limit of " +
                               std::to_string(kMaxProjectedAttributes));
}

namespace {

void check_unique_name(const IndexDefinition& d, std::set<std::string>* names) {
  if (!names->insert(d.name).second)
    throw ApiError::validation(kInvalid + "Duplicate index name: " + d.name);
}

}  // namespace

storage::IndexSchema make_index(const IndexDefinition& d,
                                const std::vector<storage::KeyAttribute>& defs,
                                bool global) {
  storage::IndexSchema i;
  i.name = d.name;
  i.global = global;
  i.partition_key = *definition(defs, d.keys[0].name);
  for (size_t k = 1; k < d.keys.size(); ++k) {
    const storage::KeyAttribute& a = *definition(defs, d.keys[k].name);
    if (d.keys[k].key_type == "HASH")
      i.more_partition_keys.push_back(a);
    else if (!i.sort_key)
      i.sort_key = a;
    else
      i.more_sort_keys.push_back(a);
  }
  i.projection = *d.projection_type == "ALL" ? storage::IndexSchema::Projection::kAll
                 : *d.projection_type == "KEYS_ONLY"
                     ? storage::IndexSchema::Projection::kKeysOnly
                     : storage::IndexSchema::Projection::kInclude;
  if (d.non_key_attributes) i.non_key_attributes = *d.non_key_attributes;
  if (d.throughput) {
    i.read_capacity = d.throughput->read;
    i.write_capacity = d.throughput->write;
  }
  return i;
}

std::vector<storage::IndexSchema> check_create_indexes(
    const storage::TableSchema& table,
    const std::optional<std::vector<IndexDefinition>>& lsis,
    const std::optional<std::vector<IndexDefinition>>& gsis) {
  std::vector<storage::IndexSchema> out;
  std::set<std::string> names;
  const auto& defs = table.attribute_definitions;
  if (lsis) {
    if (lsis->empty())
      throw ApiError::validation(kInvalid + "List of LocalSecondaryIndexes is empty");
    if (!table.sort_key)
      throw ApiError::validation(
          kInvalid +
          "Table KeySchema does not have a range key, which is required "
          "when specifying a LocalSecondaryIndex");
    for (const auto& d : *lsis) {
      check_index_definition(d, defs, false);
      if (d.keys.size() != 2)
        throw ApiError::validation(
            kInvalid + "Index KeySchema does not have a range key for index: " + d.name);
      if (d.keys[0].name != table.partition_key.name)
        throw ApiError::validation(kInvalid +
                                   "Index KeySchema does not have the same leading hash "
                                   "key as table KeySchema for "
                                   "index: " +
                                   d.name + ". index hash key: " + d.keys[0].name +
                                   ", table hash key: " + table.partition_key.name);
      check_projection(d);
      check_unique_name(d, &names);
      out.push_back(make_index(d, defs, false));
    }
    if (lsis->size() > kMaxLocalIndexes)
      throw ApiError::validation(
          kInvalid + "Number of LocalSecondaryIndexes exceeds per-table limit of " +
          std::to_string(kMaxLocalIndexes));
  }
  if (gsis) {
    if (gsis->empty())
      throw ApiError::validation(kInvalid + "List of GlobalSecondaryIndexes is empty");
    for (const auto& d : *gsis) {
      check_index_definition(d, defs, true);
      check_projection(d);
      check_unique_name(d, &names);
    }
    if (gsis->size() > kMaxGlobalIndexes)
      throw ApiError::validation(
          kInvalid + "GlobalSecondaryIndex count exceeds the per-table limit of " +
          std::to_string(kMaxGlobalIndexes));
    for (const auto& d : *gsis) {
      bool provisioned = table.billing_mode == "PROVISIONED";
      if (provisioned && !d.throughput)
        throw ApiError::validation(
            kInvalid + "ProvisionedThroughput is not specified for index: " + d.name);
      if (!provisioned && d.throughput)
        throw ApiError::validation(kInvalid +
                                   "ProvisionedThroughput should not be specified for "
                                   "index: " +
                                   d.name + " when BillingMode is PAY_PER_REQUEST");
      out.push_back(make_index(d, defs, true));
    }
  }
  check_projected_total(out);
  return out;
}

void check_definitions_used(const storage::TableSchema& table) {
  std::vector<std::string> used;
  auto use = [&](const storage::KeyAttribute& k) {
    if (std::find(used.begin(), used.end(), k.name) == used.end()) used.push_back(k.name);
  };
  use(table.partition_key);
  if (table.sort_key) use(*table.sort_key);
  for (const auto& i : table.indexes) {
    for (const storage::KeyAttribute* k : i.partition_keys()) use(*k);
    for (const storage::KeyAttribute* k : i.sort_keys()) use(*k);
  }
  if (used.size() == table.attribute_definitions.size()) return;
  std::vector<std::string> defined;
  for (const auto& d : table.attribute_definitions) defined.push_back(d.name);
  throw ApiError::validation(kInvalid +
                             "Some AttributeDefinitions are not used. "
                             "AttributeDefinitions: [" +
                             join(defined) + "], keys used: [" + join(used) + "]");
}

}  // namespace jormun::ops
