// One-line diagnostics on stderr. Every layer logs through here so that lines
// from concurrent worker threads never interleave and all carry a UTC
// timestamp an operator can correlate with client-side request ids.
#pragma once

#include <string_view>

namespace jormun {

enum class LogLevel { kInfo, kError };

// Writes "<ISO-8601 UTC time> <LEVEL> <message>\n" to stderr as one write.
// Thread-safe; never throws.
void log(LogLevel level, std::string_view message) noexcept;

}  // namespace jormun
