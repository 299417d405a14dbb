#include "storage/table_schema.h"

#include <algorithm>

namespace jormun::storage {

std::vector<const KeyAttribute*> IndexSchema::partition_keys() const {
  std::vector<const KeyAttribute*> out{&partition_key};
  for (const auto& k : more_partition_keys) out.push_back(&k);
  return out;
}

std::vector<const KeyAttribute*> IndexSchema::sort_keys() const {
  std::vector<const KeyAttribute*> out;
  if (sort_key) out.push_back(&*sort_key);
  for (const auto& k : more_sort_keys) out.push_back(&k);
  return out;
}

bool IndexSchema::has_key(std::string_view name) const {
  auto named = [&](const KeyAttribute* k) { return k->name == name; };
  auto pks = partition_keys(), sks = sort_keys();
  return std::any_of(pks.begin(), pks.end(), named) ||
         std::any_of(sks.begin(), sks.end(), named);
}

void TableSchema::prune_attribute_definitions() {
  auto used = [&](const KeyAttribute& d) {
    auto is = [&](const std::optional<KeyAttribute>& k) { return k && k->name == d.name; };
    if (d.name == partition_key.name || is(sort_key)) return true;
    return std::any_of(indexes.begin(), indexes.end(),
                       [&](const IndexSchema& i) { return i.has_key(d.name); });
  };
  std::erase_if(attribute_definitions, [&](const KeyAttribute& d) { return !used(d); });
}

}  // namespace jormun::storage
