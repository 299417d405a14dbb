#include "partition_set.h"

#include <cstdio>
#include <filesystem>

namespace jormun::sqlite {

PartitionSet::PartitionSet(std::string dir, uint32_t count, const EngineOptions& options)
    : dir_(std::move(dir)),
      options_(options),
      owned_(count),
      open_(std::make_unique<std::atomic<Partition*>[]>(count)) {}

std::string PartitionSet::file_name(uint32_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "p%04u.sqlite", index);
  return name;
}

std::string PartitionSet::path(uint32_t index) const { return dir_ + "/" + file_name(index); }

void PartitionSet::create_all() {
  for (uint32_t i = 0; i < count(); ++i)
    Partition(path(i), true, options_.synchronous, options_.busy_timeout_ms,
              options_.mmap_bytes);
}

void PartitionSet::check_all_exist() const {
  for (uint32_t i = 0; i < count(); ++i) {
    std::error_code ec;
    if (!std::filesystem::exists(path(i), ec))
      throw plugin::Error(JORMUN_CORRUPTION,
                          "sqlite: partition file " + path(i) + " of the instance in " + dir_ +
                              " is missing" + (ec ? " (" + ec.message() + ")" : ""));
  }
}

Partition& PartitionSet::at(uint32_t index) {
  if (Partition* p = open_[index].load(std::memory_order_acquire)) return *p;
  std::lock_guard lock(open_mutex_);
  if (!owned_[index]) {
    owned_[index] = std::make_unique<Partition>(path(index), false, options_.synchronous,
                                                options_.busy_timeout_ms,
                                                options_.mmap_bytes);
    open_[index].store(owned_[index].get(), std::memory_order_release);
  }
  return *owned_[index];
}

Partition* PartitionSet::if_open(uint32_t index) const {
  return open_[index].load(std::memory_order_acquire);
}

}  // namespace jormun::sqlite
