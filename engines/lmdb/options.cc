#include "options.h"

#include <string>

namespace jormun::lmdb {
namespace {

[[noreturn]] void bad_value(const std::string& key, const std::string& value,
                            const char* expected) {
  throw plugin::Error(JORMUN_INVALID_ARGUMENT, "lmdb: option '" + key +
                                                   "': bad value '" + value +
                                                   "' (expected " + expected + ")");
}

// A decimal integer in [min, max]; anything else (sign, spaces, suffix) is bad.
uint64_t parse_count(const std::string& key, const std::string& value,
                     uint64_t min, uint64_t max, const char* expected) {
  auto n = plugin::parse_decimal<uint64_t>(value, min, max);
  if (!n) bad_value(key, value, expected);
  return *n;
}

}  // namespace

Options parse_options(const plugin::Options& raw) {
  Options options;
  for (const auto& [key, value] : raw) {
    if (key == "map_size_mb") {
      // 2^40 MiB keeps the byte count far from overflowing 64 bits.
      options.map_size_bytes =
          parse_count(key, value, 1, uint64_t{1} << 40, "an integer >= 1")
          << 20;
    } else if (key == "sync") {
      if (value == "true") {
        options.sync = true;
      } else if (value == "false") {
        options.sync = false;
      } else {
        bad_value(key, value, "true or false");
      }
    } else if (key == "max_keyspaces") {
      options.max_keyspaces = static_cast<uint32_t>(
          parse_count(key, value, 1, 32000, "an integer from 1 to 32000"));
    } else {
      throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                          "lmdb: unknown option '" + key + "'");
    }
  }
  return options;
}

}  // namespace jormun::lmdb
