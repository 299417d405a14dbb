#include "logger.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "status.h"

namespace jormun::rocks {
namespace {

const char* level_name(rocksdb::InfoLogLevel level) {
  switch (level) {
    case rocksdb::InfoLogLevel::WARN_LEVEL:
      return "WARN";
    case rocksdb::InfoLogLevel::ERROR_LEVEL:
    case rocksdb::InfoLogLevel::FATAL_LEVEL:
      return "ERROR";
    default:
      return "INFO";
  }
}

uint32_t host_level(rocksdb::InfoLogLevel level) {
  switch (level) {
    case rocksdb::InfoLogLevel::WARN_LEVEL:
      return JORMUN_LOG_WARN;
    case rocksdb::InfoLogLevel::ERROR_LEVEL:
    case rocksdb::InfoLogLevel::FATAL_LEVEL:
      return JORMUN_LOG_ERROR;
    case rocksdb::InfoLogLevel::DEBUG_LEVEL:
      return JORMUN_LOG_DEBUG;
    default:
      return JORMUN_LOG_INFO;
  }
}

// The server's line form (time, level, message), for a host without a log.
void write_stderr(rocksdb::InfoLogLevel level, const std::string& message) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = stamp;
  line += ' ';
  line += level_name(level);
  line += ' ';
  line += message;
  line += '\n';
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

const char* reason_name(rocksdb::BackgroundErrorReason reason) {
  switch (reason) {
    case rocksdb::BackgroundErrorReason::kFlush:
      return "flush";
    case rocksdb::BackgroundErrorReason::kCompaction:
      return "compaction";
    case rocksdb::BackgroundErrorReason::kWriteCallback:
      return "write";
    case rocksdb::BackgroundErrorReason::kMemTable:
      return "memtable";
    case rocksdb::BackgroundErrorReason::kManifestWrite:
      return "manifest write";
    case rocksdb::BackgroundErrorReason::kFlushNoWAL:
      return "flush";
    case rocksdb::BackgroundErrorReason::kManifestWriteNoWAL:
      return "manifest write";
  }
  return "background work";
}

}  // namespace

HostLogger::HostLogger(std::string data_dir, plugin::Host host)
    : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL),
      prefix_("rocksdb " + std::move(data_dir) + ": "),
      host_(host) {}

void HostLogger::Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) {
  if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
  try {
    char text[1024];
    int n = std::vsnprintf(text, sizeof text, format, ap);
    if (n < 0) return;
    std::string message = prefix_ + text;  // truncated to the buffer when longer
    if (host_.offers_log())
      host_.log(host_level(level), message);
    else
      write_stderr(level, message);
  } catch (...) {
    // A failed allocation drops the line: nothing may reach RocksDB.
  }
}

BackgroundErrorReporter::BackgroundErrorReporter(std::string data_dir, plugin::Host host)
    : prefix_("rocksdb " + std::move(data_dir) + ": "), host_(host) {}

void BackgroundErrorReporter::OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                                                rocksdb::Status* error) {
  if (error == nullptr || error->ok()) return;
  try {
    host_.background_error(to_jormun(*error), prefix_ + reason_name(reason) +
                                                  " failed: " + error->ToString());
  } catch (...) {
    // As in Logv: never throw into RocksDB.
  }
}

}  // namespace jormun::rocks
