// One line per event on stderr, with a UTC timestamp and a level. Lines from
// different threads never interleave (one write per line).
#pragma once

#include <string_view>

namespace jormun::log {

// Thread-safe; never throws (a failed allocation drops the line).
void info(std::string_view message) noexcept;
void error(std::string_view message) noexcept;

}  // namespace jormun::log
