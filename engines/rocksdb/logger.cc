#include "logger.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>

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

}  // namespace

StderrLogger::StderrLogger(std::string data_dir)
    : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL),
      prefix_("rocksdb " + std::move(data_dir) + ": ") {}

void StderrLogger::Logv(const rocksdb::InfoLogLevel level, const char* format,
                        va_list ap) {
  if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
  try {
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char text[1024];
    int n = std::vsnprintf(text, sizeof text, format, ap);
    if (n < 0) return;
    // The server's line form: time, level, message.
    std::string line = stamp;
    line += ' ';
    line += level_name(level);
    line += ' ';
    line += prefix_;
    line += text;  // truncated to the buffer when longer
    line += '\n';
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
  } catch (...) {
    // A failed allocation drops the line: nothing may reach RocksDB.
  }
}

}  // namespace jormun::rocks
