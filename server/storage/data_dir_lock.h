// The data directory's lock: one process at a time may own a data directory.
// Two servers on one directory would each recover, write and sweep the same
// tables and catalog as if alone; jormun-admin --data-dir must not read
// tables a server is changing. The lock is an flock(2) on <data_dir>/LOCK,
// which the kernel drops when the process ends however it ends, so no stale
// lock outlives a crash.
#pragma once

#include <string>

namespace jormun::storage {

class DataDirLock {
 public:
  // Creates `data_dir` when missing and takes its lock, writing this
  // process's id into the file. Throws DataDirError (catalog_file.h) naming
  // the directory, and the holder's process id when it can, when another
  // process holds it or the file cannot be opened.
  explicit DataDirLock(const std::string& data_dir);
  // Releases the lock.
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  // The lock file's name in the data directory. DO NOT CHANGE: other
  // processes (jormun-admin, an older or newer server) look for it.
  static constexpr const char* kFileName = "LOCK";

 private:
  int fd_ = -1;
};

}  // namespace jormun::storage
