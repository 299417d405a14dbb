#include "common/log.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <string>

namespace jormun::log {
namespace {

void emit(const char* level, std::string_view message) noexcept try {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line = stamp;
  line += '.';
  line += std::to_string(1000 + ms).substr(1);
  line += "Z ";
  line += level;
  line += ' ';
  line += message;
  line += '\n';
  // One write(2) so concurrent lines do not interleave.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
} catch (...) {
  // Logging must never take a request down with it.
}

}  // namespace

void info(std::string_view message) noexcept { emit("INFO", message); }
void error(std::string_view message) noexcept { emit("ERROR", message); }

}  // namespace jormun::log
