#include "ops/start_key.h"

#include "common/api_error.h"
#include "model/attribute_json.h"
#include "model/key_codec.h"
#include "ops/item_key.h"

namespace jormun::ops {
namespace {

constexpr std::string_view kInvalid = "The provided starting key is invalid";

[[noreturn]] void invalid() { throw ApiError::validation(std::string(kInvalid)); }

// Runs `check`, giving a ValidationException it throws DynamoDB's prefix.
template <typename F>
auto prefixed(F&& check) {
  try {
    return check();
  } catch (const ApiError& e) {
    if (e.type() != "ValidationException") throw;
    throw ApiError::validation(std::string(kInvalid) + ": " + e.message());
  }
}

}  // namespace

model::Item parse_start_key(const rapidjson::Value& json) {
  return prefixed([&] { return model::parse_item(json); });
}

void check_start_key_size(const model::Item& key, size_t count) {
  if (key.size() != count) invalid();
}

void check_start_key_member(const model::Item& key, const storage::KeyAttribute& attr,
                            bool partition) {
  auto it = key.find(attr.name);
  if (it == key.end()) invalid();
  if (it->second.type() != attr.type)
    throw ApiError::validation("The provided key element does not match the schema");
  check_key_value(attr, it->second, partition);
}

std::string start_engine_key(const storage::TableSchema& table,
                             const storage::IndexSchema* index, const model::Item& key) {
  if (!index) return prefixed([&] { return key_from_key_param(table, key); });
  // The table's key attributes among the members; the index's were checked.
  model::Item table_key;
  for (const auto* a :
       {&table.partition_key, table.sort_key ? &*table.sort_key : nullptr})
    if (a && key.count(a->name)) table_key.emplace(a->name, key.at(a->name));
  prefixed([&] { return key_from_key_param(table, table_key); });
  std::vector<const model::AttributeValue*> ipk, isk;
  for (const storage::KeyAttribute* k : index->partition_keys())
    ipk.push_back(&key.at(k->name));
  for (const storage::KeyAttribute* k : index->sort_keys())
    isk.push_back(&key.at(k->name));
  const model::AttributeValue* sk =
      table.sort_key ? &key.at(table.sort_key->name) : nullptr;
  return model::index_key(ipk, isk, key.at(table.partition_key.name), sk);
}

void check_start_key_in_query(
    const model::Item& key, const std::string& engine_key, const storage::KeyRange& range,
    const std::vector<const storage::KeyAttribute*>& partition_keys, bool delimited) {
  // The condition as it reads the start key's own partition.
  storage::KeyRange own = range;
  own.partition_value = key.at(partition_keys[0]->name);
  for (size_t i = 1; i < partition_keys.size(); ++i)
    own.more_partition_values[i - 1] = key.at(partition_keys[i]->name);
  const bool same_partition =
      storage::partition_prefix(own) == storage::partition_prefix(range);
  if (!range.sort) {
    if (!same_partition)
      throw ApiError::validation(
          "The provided starting key is outside query boundaries based on provided "
          "conditions");
    return;
  }
  // The sort key is held to the condition within its own partition, so this
  // check does not depend on the partition matching; DynamoDB makes it first.
  if (!storage::contains(storage::query_range(own, delimited), engine_key))
    throw ApiError::validation(
        "The provided starting key does not match the range key predicate");
  if (!same_partition)
    throw ApiError::validation(
        "The query can return at most one row and cannot be restarted");
}

void check_start_key_in_segment(const std::string& engine_key, uint64_t segment,
                                uint64_t total) {
  if (!storage::contains(storage::segment_range(segment, total), engine_key))
    throw ApiError::validation(
        std::string(kInvalid) +
        ": Invalid ExclusiveStartKey. Please use ExclusiveStartKey with "
        "correct Segment. TotalSegments: " +
        std::to_string(total) + " Segment: " + std::to_string(segment));
}

}  // namespace jormun::ops
