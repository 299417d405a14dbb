// Keeps an error that repeats quickly (accept failing while descriptors are
// exhausted) from flooding the log: one line per interval, carrying the count
// of the occurrences it stood for.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::http {

// Not thread-safe: use it from one thread (the accept loop).
class RepeatedError {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RepeatedError(Clock::duration interval) : interval_(interval) {}

  // The line to log for this occurrence of `message`: the message itself when
  // no line went out in the last interval, with " (N more since the last
  // report)" when occurrences were held back meanwhile; nullopt otherwise,
  // and the occurrence is counted for the next line.
  std::optional<std::string> note(std::string_view message,
                                  Clock::time_point now = Clock::now());

 private:
  const Clock::duration interval_;
  std::optional<Clock::time_point> last_line_;
  std::uint64_t held_back_ = 0;
};

}  // namespace jormun::http
