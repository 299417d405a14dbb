#include "ops/pitr_checkpointer.h"

#include <map>

#include "common/clock.h"
#include "common/guarded.h"
#include "common/log.h"
#include "common/stop_wait.h"
#include "ops/pitr_window.h"

namespace jormun::ops {

PitrCheckpointer::PitrCheckpointer(storage::Catalog& catalog,
                                   const config::BackupsConfig& config)
    : catalog_(catalog), config_(config) {
  thread_ = std::jthread(
      [this](std::stop_token stop) { guarded("PITR checkpointer", [&] { run(stop); }); });
}

void PitrCheckpointer::run(std::stop_token stop) {
  const auto interval = std::chrono::seconds(config_.pitr_checkpoint_interval_seconds);
  while (pause_unless_stopped(interval, stop)) {
    // A failure is logged; the next pass tries again.
    guarded("PITR checkpoints", [&] { pass(); });
  }
}

void PitrCheckpointer::pass() {
  storage::BackupStore& store = catalog_.pitr_checkpoints();
  const int64_t interval_ms = int64_t{config_.pitr_checkpoint_interval_seconds} * 1000;
  // Every checkpoint by table id; those left at the end belong to no table
  // with PITR on.
  std::map<std::string, std::vector<storage::Backup>> orphaned;
  for (auto& b : store.list())
    if (b.change_log) orphaned[b.table.id].push_back(std::move(b));
  for (const std::string& name : catalog_.names()) {
    auto table = catalog_.find(name);
    if (!table) continue;  // being restored, or dropped meanwhile
    const storage::TableSchema schema = table->schema();
    if (!schema.pitr.enabled) continue;
    auto it = orphaned.find(schema.id);
    std::vector<storage::Backup> checkpoints =
        it == orphaned.end() ? std::vector<storage::Backup>{}
                             : table_checkpoints(it->second, schema.id);
    if (it != orphaned.end()) orphaned.erase(it);
    guarded("PITR checkpoint of table " + name, [&] {
      const int64_t now = clock::now_ms();
      if (checkpoints.empty() || now - checkpoints.back().change_log->time_ms >= interval_ms)
        checkpoints.push_back(store.create(*table, "pitr", {}, true));
      for (const std::string& id : expendable_checkpoints(checkpoints, schema.pitr, now))
        store.remove(id);
    });
  }
  for (const auto& [id, checkpoints] : orphaned)
    for (const auto& b : checkpoints)
      guarded("deleting PITR checkpoint " + b.id, [&] { store.remove(b.id); });
}

}  // namespace jormun::ops
