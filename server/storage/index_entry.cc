#include "storage/index_entry.h"

#include <algorithm>
#include <vector>

#include "model/item_codec.h"
#include "model/key_codec.h"

namespace jormun::storage {
namespace {

// The value of key attribute `k` in `item` when present with its declared
// type, and, if S or B, neither empty nor longer than `max_bytes`: writes
// refuse such items, but ones stored before the index existed may have them,
// and a backfill leaves them out, as DynamoDB's does.
const model::AttributeValue* key_value(const model::Item& item, const KeyAttribute& k,
                                       size_t max_bytes) {
  auto it = item.find(k.name);
  if (it == item.end() || it->second.type() != k.type) return nullptr;
  size_t size = model::key_value_bytes(it->second);
  if ((k.type != model::Type::N && size == 0) || size > max_bytes) return nullptr;
  return &it->second;
}

}  // namespace

bool index_projects(const TableSchema& table, const IndexSchema& index,
                    const std::string& name) {
  auto is = [&](const std::optional<KeyAttribute>& k) { return k && k->name == name; };
  if (index.projection == IndexSchema::Projection::kAll ||
      name == table.partition_key.name || is(table.sort_key) || index.has_key(name))
    return true;
  return index.projection == IndexSchema::Projection::kInclude &&
         std::find(index.non_key_attributes.begin(), index.non_key_attributes.end(),
                   name) != index.non_key_attributes.end();
}

model::Item project_for_index(const TableSchema& table, const IndexSchema& index,
                              const model::Item& item) {
  if (index.projection == IndexSchema::Projection::kAll) return item;
  model::Item out;
  for (const auto& [name, value] : item)
    if (index_projects(table, index, name)) out.emplace(name, value);
  return out;
}

std::optional<IndexEntry> index_entry(const TableSchema& table, const IndexSchema& index,
                                      const model::Item& item) {
  // An item lacking any one attribute of a multi-attribute key is not in
  // the index.
  std::vector<const model::AttributeValue*> ipk, isk;
  for (const KeyAttribute* k : index.partition_keys())
    if (!ipk.emplace_back(key_value(item, *k, model::kMaxPartitionKeyBytes)))
      return std::nullopt;
  for (const KeyAttribute* k : index.sort_keys())
    if (!isk.emplace_back(key_value(item, *k, model::kMaxSortKeyBytes)))
      return std::nullopt;
  // Stored items always carry the table's own keys with the right types.
  const model::AttributeValue& pk = item.at(table.partition_key.name);
  const model::AttributeValue* sk =
      table.sort_key ? &item.at(table.sort_key->name) : nullptr;
  return IndexEntry{model::index_key(ipk, isk, pk, sk),
                    model::encode_item(project_for_index(table, index, item))};
}

}  // namespace jormun::storage
