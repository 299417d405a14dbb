// RocksDB's info log and background errors, sent to the host instead of a
// LOG file in the data directory.
//
// Why not the LOG file: it lives on the disk it describes. When that disk
// fills, the error handler's own log lines fail to reach it, and Debian's
// librocksdb 7.8 then aborts the process (an assertion in its log file
// writer). Off the data disk, a full disk is just an error status. Only
// warnings and worse are passed on: RocksDB logs every flush and compaction
// at INFO, which would drown the server's own lines.
//
// Lines go to the host's log service (ABI 1.3) when it offers one, else to
// stderr in the server's line form (a 1.0-1.2 host, the engine kit).
#ifndef JORMUN_ROCKSDB_LOGGER_H
#define JORMUN_ROCKSDB_LOGGER_H

#include <jormun/plugin.hpp>
#include <rocksdb/env.h>
#include <rocksdb/listener.h>

#include <string>

namespace jormun::rocks {

class HostLogger final : public rocksdb::Logger {
 public:
  // Lines are prefixed with "rocksdb <data_dir>: ".
  HostLogger(std::string data_dir, plugin::Host host);

  using rocksdb::Logger::Logv;
  // Formats and passes on one line; never throws.
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override;

 private:
  const std::string prefix_;
  const plugin::Host host_;
};

// Tells the host of every background error (a flush, compaction or log
// write that failed, the disk full): what the instance's calls will answer
// until RocksDB recovers.
class BackgroundErrorReporter final : public rocksdb::EventListener {
 public:
  BackgroundErrorReporter(std::string data_dir, plugin::Host host);
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                         rocksdb::Status* error) override;

 private:
  const std::string prefix_;
  const plugin::Host host_;
};

}  // namespace jormun::rocks

#endif
