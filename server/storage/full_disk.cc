#include "storage/full_disk.h"

#include <string>

#include "common/api_error.h"
#include "common/log.h"

namespace jormun::storage {
namespace {

std::atomic<uint64_t> total_refusals{0};

}  // namespace

uint64_t FullDisk::refusals() { return total_refusals.load(std::memory_order_relaxed); }

void FullDisk::refuse(std::string_view table, const host::EngineError& error) {
  uint64_t total = total_refusals.fetch_add(1, std::memory_order_relaxed) + 1;
  run_.fetch_add(1, std::memory_order_relaxed);
  if (!full_.exchange(true))
    log::error("disk full: table " + std::string(table) +
               ": writes are refused until the engine has room again (" +
               std::to_string(total) + " refused since start): " + error.what());
  throw ApiError::internal(std::string(kDiskFullMessage));
}

void FullDisk::resumed(std::string_view table) noexcept {
  if (!full_.exchange(false)) return;
  log::info("disk full: table " + std::string(table) + ": writes succeed again after " +
            std::to_string(run_.exchange(0)) + " refused (" + std::to_string(refusals()) +
            " refused since start)");
}

}  // namespace jormun::storage
