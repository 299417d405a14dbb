// The preload step: writes items [0, keys) of a table once.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "items.h"
#include "workload.h"

namespace jormun::bench {

// Loads in BatchWriteItem calls of up to 25 items, resending whatever comes
// back unprocessed; if the server does not know BatchWriteItem it switches,
// for every connection, to one PutItem per item.
class Preload final : public Workload {
 public:
  Preload(std::string table, TableShape shape, uint64_t keys, size_t item_size);

  bool begin(Session& s) override;
  Verdict judge(Session& s, const rapidjson::Document& answer) override;
  bool fall_back(Session& s) override;

 private:
  void put_next(Session& s);

  std::string table_;
  TableShape shape_;
  uint64_t keys_;
  uint64_t chunk_;  // items per batch
  std::atomic<uint64_t> next_{0};
  std::atomic<bool> single_puts_{false};
};

}  // namespace jormun::bench
