// Table::commit_joint: the batches of several tables as one engine call.
#include "storage/table.h"
#include "storage/write_set.h"

namespace jormun::storage {

bool Table::commit_joint(const std::vector<std::pair<Table*, const host::WriteBatch*>>& parts) {
  std::vector<host::Instance::JointPart> joint;
  bool sync = false;
  for (const auto& [table, batch] : parts) {
    table->unsave_counts();
    sync = sync || table->durable_;
    joint.push_back({table->engine_.get(), batch});
  }
  if (!sync)
    for (const auto& part : parts) part.first->dirty_.store(true);
  Table& first = *parts.front().first;
  try {
    if (!host::Instance::write_joint(joint, sync)) return false;
  } catch (const host::EngineError& e) {
    if (e.status() == JORMUN_CONFLICT) throw WriteConflict();
    if (e.status() != JORMUN_NO_SPACE) throw;
    // The engine does not say whose disk is full: the first table's is
    // named, as the write that met it.
    first.full_disk_.refuse(first.schema().name, e);
  }
  for (const auto& part : parts) part.first->full_disk_.written(part.first->schema().name);
  return true;
}

}  // namespace jormun::storage
