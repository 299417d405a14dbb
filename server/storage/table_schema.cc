#include "storage/table_schema.h"

#include <algorithm>

namespace jormun::storage {

void TableSchema::prune_attribute_definitions() {
  auto used = [&](const KeyAttribute& d) {
    auto is = [&](const std::optional<KeyAttribute>& k) { return k && k->name == d.name; };
    if (d.name == partition_key.name || is(sort_key)) return true;
    return std::any_of(indexes.begin(), indexes.end(), [&](const IndexSchema& i) {
      return i.partition_key.name == d.name || is(i.sort_key);
    });
  };
  std::erase_if(attribute_definitions, [&](const KeyAttribute& d) { return !used(d); });
}

}  // namespace jormun::storage
