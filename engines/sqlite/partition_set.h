// partition_set.h -- an instance's partition files, each opened on its first
// use.
//
// A table is one instance and a server holds thousands of tables, most of
// them idle or read a few keys at a time: a partition costs a writer
// connection (the file, its WAL and shared memory: three descriptors) and
// its readers, so an instance that opened all of them at once held some 80
// descriptors whatever it was asked. Here a point read or a write opens the
// one file it needs; a scan opens those of its range.
//
// Thread-safety: every member is safe from any thread; a partition, once
// open, stays open until the set is destroyed.
#ifndef JORMUN_ENGINES_SQLITE_PARTITION_SET_H
#define JORMUN_ENGINES_SQLITE_PARTITION_SET_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "options.h"
#include "partition.h"

namespace jormun::sqlite {

class PartitionSet {
 public:
  // The `count` files of the instance in `dir`. Opens none of them.
  PartitionSet(std::string dir, uint32_t count, const EngineOptions& options);

  // Creates every file of a new instance, then closes them.
  void create_all();
  // Throws JORMUN_CORRUPTION naming the first file that does not exist: an
  // existing instance missing a file is an error, never an empty range.
  void check_all_exist() const;

  // Partition `index` (< count()), opened on first use. Throws
  // plugin::Error when the file cannot be opened (and tries again at the
  // next call).
  Partition& at(uint32_t index);
  // Partition `index` when it has been opened, else nullptr.
  Partition* if_open(uint32_t index) const;

  uint32_t count() const { return static_cast<uint32_t>(owned_.size()); }
  // The path of partition `index`'s file.
  std::string path(uint32_t index) const;
  // The file name of partition `index` inside an instance's directory.
  static std::string file_name(uint32_t index);

 private:
  std::string dir_;
  EngineOptions options_;
  std::mutex open_mutex_;                         // held while one is opened
  std::vector<std::unique_ptr<Partition>> owned_;  // written under open_mutex_
  std::unique_ptr<std::atomic<Partition*>[]> open_;  // published once open
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_PARTITION_SET_H
