#include "ops/item_key.h"

#include "common/api_error.h"
#include "model/key_codec.h"

namespace jormun::ops {
namespace {

std::string encode(const storage::TableSchema& s, const model::Item& attrs) {
  const model::AttributeValue& pk = attrs.find(s.partition_key.name)->second;
  const model::AttributeValue* sk =
      s.sort_key ? &attrs.find(s.sort_key->name)->second : nullptr;
  return model::base_key(pk, sk);
}

}  // namespace

void check_key_value(const storage::KeyAttribute& attr, const model::AttributeValue& v,
                     bool partition) {
  size_t size = model::key_value_bytes(v);
  if (attr.type != model::Type::N && size == 0)
    throw ApiError::validation(
        std::string(
            "One or more parameter values are not valid. The AttributeValue for a "
            "key attribute cannot contain an empty ") +
        (attr.type == model::Type::S ? "string" : "binary") +
        " value. Key: " + attr.name);
  if (partition && size > model::kMaxPartitionKeyBytes)
    throw ApiError::validation(
        "One or more parameter values were invalid: Size of hashkey has exceeded the "
        "maximum "
        "size limit of2048 bytes");
  if (!partition && size > model::kMaxSortKeyBytes)
    throw ApiError::validation(
        "One or more parameter values were invalid: Aggregated size of all range keys "
        "has "
        "exceeded the size limit of 1024 bytes");
}

std::string key_from_key_param(const storage::TableSchema& s, const model::Item& key) {
  size_t expected = s.sort_key ? 2 : 1;
  auto matches = [&](const storage::KeyAttribute& attr) {
    auto it = key.find(attr.name);
    return it != key.end() && it->second.type() == attr.type;
  };
  if (key.size() != expected || !matches(s.partition_key) ||
      (s.sort_key && !matches(*s.sort_key)))
    throw ApiError::validation("The provided key element does not match the schema");
  check_key_value(s.partition_key, key.find(s.partition_key.name)->second, true);
  if (s.sort_key) check_key_value(*s.sort_key, key.find(s.sort_key->name)->second, false);
  return encode(s, key);
}

std::string key_from_item(const storage::TableSchema& s, const model::Item& item) {
  auto check = [&](const storage::KeyAttribute& attr, bool partition) {
    auto it = item.find(attr.name);
    if (it == item.end())
      throw ApiError::validation(
          "One or more parameter values were invalid: Missing the key " + attr.name +
          " in the item");
    if (it->second.type() != attr.type)
      throw ApiError::validation(
          "One or more parameter values were invalid: Type mismatch for key " +
          attr.name + " expected: " + model::type_name(attr.type) +
          " actual: " + model::type_name(it->second.type()));
    check_key_value(attr, it->second, partition);
  };
  check(s.partition_key, true);
  if (s.sort_key) check(*s.sort_key, false);
  return encode(s, item);
}

void check_index_key_types(const storage::TableSchema& s, const model::Item& item) {
  auto check = [&](const storage::KeyAttribute& attr, const storage::IndexSchema& ix,
                   size_t max_bytes) {
    auto it = item.find(attr.name);
    if (it == item.end()) return;
    if (it->second.type() != attr.type)
      throw ApiError::validation(
          "One or more parameter values were invalid: Type mismatch for Index Key " +
          attr.name + " Expected: " + model::type_name(attr.type) +
          " Actual: " + model::type_name(it->second.type()) + " IndexName: " + ix.name);
    size_t size = model::key_value_bytes(it->second);
    if (attr.type != model::Type::N && size == 0)
      throw ApiError::validation(
          std::string(
              "One or more parameter values are not valid. A value specified for a "
              "secondary index key is not supported. The AttributeValue for a key "
              "attribute cannot contain an empty ") +
          (attr.type == model::Type::S ? "string" : "binary") +
          " value. IndexName: " + ix.name + ", IndexKey: " + attr.name);
    if (size > max_bytes)
      throw ApiError::validation(
          "One or more parameter values were invalid: Size limit exceeded for Index Key " +
          attr.name + " Actual Size: " + std::to_string(size) +
          " bytes Max Size: " + std::to_string(max_bytes) + " bytes IndexName: " + ix.name);
  };
  for (const auto& ix : s.indexes) {
    for (const storage::KeyAttribute* k : ix.partition_keys())
      check(*k, ix, model::kMaxPartitionKeyBytes);
    for (const storage::KeyAttribute* k : ix.sort_keys())
      check(*k, ix, model::kMaxSortKeyBytes);
  }
}

model::Item key_of(const storage::TableSchema& s, const model::Item& item) {
  model::Item key;
  key.emplace(s.partition_key.name, item.find(s.partition_key.name)->second);
  if (s.sort_key) key.emplace(s.sort_key->name, item.find(s.sort_key->name)->second);
  return key;
}

}  // namespace jormun::ops
