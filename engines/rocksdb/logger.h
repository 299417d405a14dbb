// RocksDB's info log, sent to the server's stderr instead of a LOG file in
// the data directory.
//
// Why: the LOG file lives on the disk it describes. When that disk fills,
// the error handler's own log lines fail to reach it, and Debian's
// librocksdb 7.8 then aborts the process (an assertion in its log file
// writer). Off the data disk, a full disk is just an error status. Only
// warnings and worse are written: RocksDB logs every flush and compaction at
// INFO, which would drown the server's own lines.
#ifndef JORMUN_ROCKSDB_LOGGER_H
#define JORMUN_ROCKSDB_LOGGER_H

#include <rocksdb/env.h>

#include <string>

namespace jormun::rocks {

class StderrLogger final : public rocksdb::Logger {
 public:
  // Lines are prefixed with "rocksdb <data_dir>: ".
  explicit StderrLogger(std::string data_dir);

  using rocksdb::Logger::Logv;
  // Formats and writes one line with one write(2); never throws.
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override;

 private:
  const std::string prefix_;
};

}  // namespace jormun::rocks

#endif
