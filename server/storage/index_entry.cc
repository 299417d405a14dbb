#include "storage/index_entry.h"

#include "model/item_codec.h"
#include "model/key_codec.h"

namespace jormun::storage {
namespace {

bool empty_bytes(const model::AttributeValue& v) {
  if (v.is<std::string>()) return v.as<std::string>().empty();
  return v.is<model::Binary>() && v.as<model::Binary>().bytes.empty();
}

// The value of key attribute `k` in `item` when present with its declared
// type and not an empty S or B: writes refuse such items, but ones stored
// before the index existed may have them, and a backfill leaves them out.
const model::AttributeValue* key_value(const model::Item& item, const KeyAttribute& k) {
  auto it = item.find(k.name);
  if (it == item.end() || it->second.type() != k.type || empty_bytes(it->second))
    return nullptr;
  return &it->second;
}

void copy_attribute(const model::Item& from, const std::string& name, model::Item* to) {
  auto it = from.find(name);
  if (it != from.end()) to->insert_or_assign(name, it->second);
}

}  // namespace

model::Item project_for_index(const TableSchema& table, const IndexSchema& index,
                              const model::Item& item) {
  if (index.projection == IndexSchema::Projection::kAll) return item;
  model::Item out;
  copy_attribute(item, table.partition_key.name, &out);
  if (table.sort_key) copy_attribute(item, table.sort_key->name, &out);
  copy_attribute(item, index.partition_key.name, &out);
  if (index.sort_key) copy_attribute(item, index.sort_key->name, &out);
  if (index.projection == IndexSchema::Projection::kInclude)
    for (const auto& name : index.non_key_attributes) copy_attribute(item, name, &out);
  return out;
}

std::optional<IndexEntry> index_entry(const TableSchema& table, const IndexSchema& index,
                                      const model::Item& item) {
  const model::AttributeValue* ipk = key_value(item, index.partition_key);
  if (!ipk) return std::nullopt;
  const model::AttributeValue* isk = nullptr;
  if (index.sort_key && !(isk = key_value(item, *index.sort_key))) return std::nullopt;
  // Stored items always carry the table's own keys with the right types.
  const model::AttributeValue& pk = item.at(table.partition_key.name);
  const model::AttributeValue* sk =
      table.sort_key ? &item.at(table.sort_key->name) : nullptr;
  return IndexEntry{model::index_key(*ipk, isk, pk, sk),
                    model::encode_item(project_for_index(table, index, item))};
}

}  // namespace jormun::storage
