#include "ops/index_rules.h"

#include <algorithm>
#include <set>

#include "common/api_error.h"

namespace jormun::ops {
namespace {

constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxGlobalIndexes = 20;
constexpr size_t kMaxProjectedAttributes = 100;
const std::string kInvalid = "One or more parameter values were invalid: ";

const storage::KeyAttribute* definition(const std::vector<storage::KeyAttribute>& defs,
                                        const std::string& name) {
  for (const auto& d : defs)
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace

void check_index_definition(const IndexDefinition& d,
                            const std::vector<storage::KeyAttribute>& defs) {
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
  if (d.keys[0].key_type != "HASH")
    throw ApiError::validation(
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (d.keys.size() == 2 && d.keys[1].key_type != "RANGE")
    throw ApiError::validation(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
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
  if (d.keys.size() == 2) i.sort_key = *definition(defs, d.keys[1].name);
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
      check_index_definition(d, defs);
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
      check_index_definition(d, defs);
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
    use(i.partition_key);
    if (i.sort_key) use(*i.sort_key);
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
