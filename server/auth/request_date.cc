#include "auth/request_date.h"

#include <time.h>

namespace jormun::auth {
namespace {

std::optional<Clock::time_point> parse(std::string_view text, const char* format) {
  const std::string copy(text);
  struct tm tm {};
  const char* end = strptime(copy.c_str(), format, &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const time_t seconds = timegm(&tm);
  if (seconds == static_cast<time_t>(-1)) return std::nullopt;
  return Clock::from_time_t(seconds);
}

}  // namespace

std::optional<Clock::time_point> parse_amz_date(std::string_view text) {
  // strptime accepts fewer digits than the basic format has; insist on them.
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  for (size_t i = 0; i < 15; ++i)
    if (i != 8 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  return parse(text, "%Y%m%dT%H%M%SZ");
}

std::optional<Clock::time_point> parse_http_date(std::string_view text) {
  return parse(text, "%a, %d %b %Y %H:%M:%S GMT");
}

std::string format_amz_date(Clock::time_point t) {
  const time_t seconds = Clock::to_time_t(t);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  char buf[32];
  return std::string(buf, std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm));
}

}  // namespace jormun::auth
