#include "options.h"

#include <bit>
#include <string>

namespace jormun::sqlite {
namespace {

[[noreturn]] void bad_value(const std::string& key, const std::string& value,
                            const char* expected) {
  throw plugin::Error(JORMUN_INVALID_ARGUMENT, "sqlite: option '" + key + "' must be " +
                                                   expected + ", got '" + value + "'");
}

}  // namespace

EngineOptions parse_options(const plugin::Options& options) {
  EngineOptions out;
  for (const auto& [key, value] : options) {
    if (key == "partitions") {
      auto n = plugin::parse_decimal<int64_t>(value, 1, kMaxPartitions);
      if (!n || !std::has_single_bit(static_cast<uint64_t>(*n)))
        bad_value(key, value, "a power of two from 1 to 256");
      out.partitions = static_cast<uint32_t>(*n);
    } else if (key == "synchronous") {
      if (value == "off")
        out.synchronous = 0;
      else if (value == "normal")
        out.synchronous = 1;
      else if (value == "full")
        out.synchronous = 2;
      else
        bad_value(key, value, "off, normal or full");
    } else if (key == "busy_timeout_ms") {
      auto n = plugin::parse_decimal<int64_t>(value, 0, 600000);
      if (!n) bad_value(key, value, "a whole number of milliseconds from 0 to 600000");
      out.busy_timeout_ms = static_cast<int>(*n);
    } else if (key == "mmap_mb") {
      auto n = plugin::parse_decimal<int64_t>(value, 0, 65536);
      if (!n) bad_value(key, value, "a whole number of megabytes from 0 to 65536");
      out.mmap_bytes = *n << 20;
    } else {
      throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                          "sqlite: unknown option '" + key + "'");
    }
  }
  return out;
}

}  // namespace jormun::sqlite
