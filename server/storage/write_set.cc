#include "storage/write_set.h"

#include <stdexcept>

namespace jormun::storage {

WriteSet::TableWrites& WriteSet::lock(Table& table, const std::string& key) {
  const size_t stripe = LockManager::stripe(key);
  if (tables_.empty() || tables_.back().table != &table) {
    if (!tables_.empty() && !Table::lock_order_less(*tables_.back().table, table))
      throw std::logic_error("write set: table staged out of lock order");
    // The gate before the stripes: every writer takes them in that order, so
    // a schema change waiting for the gate cannot close a cycle.
    tables_.push_back(
        TableWrites{&table, std::shared_lock(table.write_gate_), {}, stripe, {}});
    tables_.back().stripes.push_back(table.locks_.lock_stripe(stripe));
    return tables_.back();
  }
  TableWrites& t = tables_.back();
  if (stripe < t.last_stripe)
    throw std::logic_error("write set: key staged out of lock order");
  // Two keys may share a stripe: it is held once.
  if (stripe > t.last_stripe) {
    t.stripes.push_back(table.locks_.lock_stripe(stripe));
    t.last_stripe = stripe;
  }
  return t;
}

Staged WriteSet::stage(Table& table, const std::string& key, const Mutation& m) {
  TableWrites& t = lock(table, key);
  // The gate is held, so the schema cannot change before commit.
  const TableSchema& schema = table.schema();
  Staged out;
  // Index maintenance needs the old image even when the caller does not; a
  // write that needs nothing old skips the read but still holds the stripe,
  // or it could land between another write's read and its batch.
  const bool read = m.needs_old || !schema.indexes.empty();
  if (read) out.old_item = table.get(key);
  const model::Item* old = out.old_item ? &*out.old_item : nullptr;
  out.new_item = m.decide(old);
  // Removing an item that is not there changes nothing.
  if (read && !old && !out.new_item) return out;
  table.stage_item(schema, key, old, out.new_item ? &*out.new_item : nullptr, &t.batch);
  return out;
}

bool WriteSet::stage_index_entry(Table& table, const std::string& key,
                                 const std::string& index) {
  return table.stage_index_entry(key, index, &lock(table, key).batch);
}

void WriteSet::commit() {
  for (auto& t : tables_)
    if (!t.batch.empty()) t.table->commit(std::move(t.batch));
  tables_.clear();  // releases stripes, then gates, table by table
}

}  // namespace jormun::storage
