#include "common/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace jormun {

void log(LogLevel level, std::string_view message) noexcept {
  try {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())
            .count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[40];
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>(millis));

    std::string line;
    line.reserve(message.size() + 48);
    line.append(stamp).append(level == LogLevel::kError ? " ERROR " : " INFO ");
    line.append(message).push_back('\n');
    // A single fwrite holds stderr's lock for the whole line.
    std::fwrite(line.data(), 1, line.size(), stderr);
  } catch (...) {
    // Logging must never take a request down with it (allocation failure).
  }
}

}  // namespace jormun
