// What a fuzz target does when a property fails: print what differed and
// abort, which libFuzzer reports as a crash and saves the input for.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace jormun::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view a = {},
                              std::string_view b = {}) {
  std::fprintf(stderr, "property failed: %s\n  %.*s\n  %.*s\n", what,
               static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()),
               b.data());
  std::abort();
}

inline void check(bool ok, const char* what, std::string_view a = {},
                  std::string_view b = {}) {
  if (!ok) fail(what, a, b);
}

}  // namespace jormun::fuzz
