// The request date SigV4 signs: X-Amz-Date ("20150830T123600Z") or, without
// it, an HTTP Date header ("Sun, 30 Aug 2015 12:36:00 GMT").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::auth {

using Clock = std::chrono::system_clock;

// Null when `text` is not a valid ISO 8601 basic date-time in UTC.
std::optional<Clock::time_point> parse_amz_date(std::string_view text);
// Null when `text` is not an RFC 1123 date in GMT.
std::optional<Clock::time_point> parse_http_date(std::string_view text);
// "YYYYMMDDTHHMMSSZ", truncated to the second.
std::string format_amz_date(Clock::time_point t);

}  // namespace jormun::auth
