// One line per event on stderr, with a UTC timestamp and a level. Lines from
// different threads never interleave (one write per line).
#pragma once

#include <string_view>

namespace jormun::log {

void info(std::string_view message);
void error(std::string_view message);

}  // namespace jormun::log
