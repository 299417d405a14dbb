// The named workloads: single operations and the YCSB core mixes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "items.h"
#include "key_picker.h"
#include "workload.h"

namespace jormun::bench {

struct WorkloadSettings {
  // At least one. The transact-* workloads spread each call's items over all
  // of them in turn, every other workload uses the first.
  std::vector<std::string> tables;
  // Items preloaded into each table ([0, keys)); a ranged table holds them as
  // keys / kItemsPerPartition partitions.
  uint64_t keys = 0;
  // Key choice for the single-operation workloads; each YCSB mix uses the
  // distribution its definition names (zipfian, or latest for D).
  Distribution distribution = Distribution::uniform;
  const ItemSet* items = nullptr;
};

// Every workload name, in the order the usage text lists them.
std::span<const std::string_view> workload_names();

// nullptr if `name` is unknown.
std::unique_ptr<Workload> make_workload(std::string_view name,
                                        const WorkloadSettings& settings);

// The shape of the table the named workload works on; nullopt for one that
// needs no table ("ping", which measures the HTTP path alone).
std::optional<TableShape> table_shape_of(std::string_view name);

}  // namespace jormun::bench
