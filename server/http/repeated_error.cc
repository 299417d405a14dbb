#include "http/repeated_error.h"

namespace jormun::http {

std::optional<std::string> RepeatedError::note(std::string_view message,
                                               Clock::time_point now) {
  if (last_line_ && now - *last_line_ < interval_) {
    ++held_back_;
    return std::nullopt;
  }
  std::string line(message);
  if (held_back_ > 0)
    line += " (" + std::to_string(held_back_) + " more since the last report)";
  last_line_ = now;
  held_back_ = 0;
  return line;
}

}  // namespace jormun::http
