// One line per event on stderr, with a UTC timestamp and a level. Lines from
// different threads never interleave (one write per line).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace jormun::log {

enum class Format {
  kText,  // 2026-01-01T00:00:00.000Z INFO message
  kJson,  // {"time":"2026-01-01T00:00:00.000Z","level":"INFO","message":"..."}
};
enum class Level { kInfo, kError };

// Sets how lines look and which are written; call once at start-up, before
// other threads log. By default: text, every level.
void configure(Format format, Level level);

// Thread-safe; never throws (a failed allocation drops the line).
void info(std::string_view message) noexcept;
void error(std::string_view message) noexcept;
// An INFO line written at every level: where the server listens, that it
// stopped; scripts and supervisors wait for them.
void notice(std::string_view message) noexcept;

// An INFO line with named fields: in JSON each is a member of its own (the
// value a string, or a number when `numeric`), in text `name=value` pairs
// after the message. For lines a program reads, such as the access log.
struct Field {
  std::string_view name;
  std::string_view value;
  bool numeric = false;
};
void info_fields(std::string_view message, const std::vector<Field>& fields) noexcept;

}  // namespace jormun::log
