#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace jormun::log {
namespace {

std::atomic<Format> g_format = Format::kText;
std::atomic<Level> g_level = Level::kInfo;

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = stamp;
  out += '.';
  out += std::to_string(1000 + ms).substr(1);
  out += 'Z';
  return out;
}

// `text` as a JSON string, quotes included.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void emit(Level level, std::string_view message, const std::vector<Field>& fields,
          bool always = false) noexcept try {
  if (!always && level < g_level.load(std::memory_order_relaxed)) return;
  const char* name = level == Level::kInfo ? "INFO" : "ERROR";
  std::string line;
  if (g_format.load(std::memory_order_relaxed) == Format::kJson) {
    line = "{\"time\":\"" + timestamp() + "\",\"level\":\"" + name + "\",\"message\":";
    append_json_string(line, message);
    for (const Field& f : fields) {
      line += ',';
      append_json_string(line, f.name);
      line += ':';
      if (f.numeric) {
        line += f.value;
      } else {
        append_json_string(line, f.value);
      }
    }
    line += '}';
  } else {
    line = timestamp() + " " + name + " ";
    line += message;
    for (const Field& f : fields) {
      line += ' ';
      line += f.name;
      line += '=';
      line += f.value;
    }
  }
  line += '\n';
  // One write(2) so concurrent lines do not interleave.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
} catch (...) {
  // Logging must never take a request down with it.
}

}  // namespace

void configure(Format format, Level level) {
  g_format = format;
  g_level = level;
}

void info(std::string_view message) noexcept { emit(Level::kInfo, message, {}); }
void error(std::string_view message) noexcept { emit(Level::kError, message, {}); }
void notice(std::string_view message) noexcept { emit(Level::kInfo, message, {}, true); }
void info_fields(std::string_view message, const std::vector<Field>& fields) noexcept {
  emit(Level::kInfo, message, fields);
}

}  // namespace jormun::log
