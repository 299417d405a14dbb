#include "ops/index_capacity.h"

#include <algorithm>

#include "model/item_size.h"
#include "storage/index_entry.h"

namespace jormun::ops {
namespace {

// The units one index consumes, or nullopt when its entry does not change.
std::optional<double> index_units(const storage::TableSchema& schema,
                                  const storage::IndexSchema& index,
                                  const model::Item* old, const model::Item* now) {
  auto before = old ? storage::index_entry(schema, index, *old) : std::nullopt;
  auto after = now ? storage::index_entry(schema, index, *now) : std::nullopt;
  auto units = [](const storage::IndexEntry& e) {
    return write_units(model::stored_item_size(e.value));
  };
  if (!before && !after) return std::nullopt;
  if (!before) return units(*after);
  if (!after) return units(*before);
  if (before->key != after->key) return units(*before) + units(*after);
  if (before->value == after->value) return std::nullopt;
  return std::max(units(*before), units(*after));
}

}  // namespace

void add_index_writes(const storage::TableSchema& schema, const model::Item* old,
                      const model::Item* now, TableUnits& units, double factor) {
  for (const auto& index : schema.indexes) {
    if (index.state == storage::IndexSchema::State::kDeleting) continue;
    std::optional<double> cost = index_units(schema, index, old, now);
    if (!cost) continue;
    (index.global ? units.global_indexes : units.local_indexes)[index.name].write +=
        factor * *cost;
  }
}

void add_item_write(const storage::TableSchema& schema, const storage::Staged& done,
                    TableUnits& units) {
  const model::Item* old = done.old_item ? &*done.old_item : nullptr;
  const model::Item* now = done.new_item ? &*done.new_item : nullptr;
  size_t size = std::max(done.old_size.value_or(0), now ? model::item_size(*now) : 0);
  units.write += write_units(size);
  add_index_writes(schema, old, now, units);
}

TableUnits item_write_units(const storage::TableSchema& schema,
                            const storage::Staged& done) {
  TableUnits units;
  add_item_write(schema, done, units);
  return units;
}

}  // namespace jormun::ops
