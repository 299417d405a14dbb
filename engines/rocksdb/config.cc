#include "config.h"

#include <rocksdb/convenience.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <string>

namespace jormun::rocks {
namespace {

[[noreturn]] void reject(const std::string& key, const std::string& why) {
  throw plugin::Error(JORMUN_INVALID_ARGUMENT, "rocksdb: option '" + key + "': " + why);
}

uint64_t parse_uint(const std::string& key, const std::string& value, uint64_t min,
                    uint64_t max) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty() ||
      n < min || n > max)
    reject(key, "expected an integer from " + std::to_string(min) + " to " +
                    std::to_string(max) + ", got '" + value + "'");
  return n;
}

rocksdb::CompressionType parse_compression(const std::string& key,
                                           const std::string& value) {
  struct Named {
    const char* name;
    rocksdb::CompressionType type;
  };
  static constexpr Named kNames[] = {{"none", rocksdb::kNoCompression},
                                     {"snappy", rocksdb::kSnappyCompression},
                                     {"lz4", rocksdb::kLZ4Compression},
                                     {"zstd", rocksdb::kZSTD},
                                     {"zlib", rocksdb::kZlibCompression}};
  for (const auto& n : kNames) {
    if (value != n.name) continue;
    auto supported = rocksdb::GetSupportedCompressions();
    if (n.type != rocksdb::kNoCompression &&
        std::find(supported.begin(), supported.end(), n.type) == supported.end())
      reject(key, "'" + value + "' is not supported by this RocksDB build");
    return n.type;
  }
  reject(key, "expected none, snappy, lz4, zstd or zlib, got '" + value + "'");
}

}  // namespace

Config parse_config(const plugin::Options& options) {
  Config config;
  std::set<std::string> seen;
  bool memtable_budget_given = false;
  for (const auto& [key, value] : options) {
    if (!seen.insert(key).second) reject(key, "given more than once");
    if (key == "block_cache_mb") {
      config.block_cache_mb = parse_uint(key, value, 1, 1 << 20);
    } else if (key == "compression") {
      config.compression = parse_compression(key, value);
    } else if (key == "bloom_bits") {
      config.bloom_bits = parse_uint(key, value, 0, 32);
    } else if (key == "write_buffer_mb") {
      config.write_buffer_mb = parse_uint(key, value, 1, 4096);
    } else if (key == "memtable_budget_mb") {
      config.memtable_budget_mb = parse_uint(key, value, 1, 1 << 20);
      memtable_budget_given = true;
    } else if (key == "release_memory_ms") {
      config.release_memory_ms = parse_uint(key, value, 0, 3600000);
    } else if (key == "max_open_files") {
      // RocksDB raises anything under 20 to 20 (its table cache keeps 10 of
      // them for itself); refused rather than silently changed.
      config.max_open_files = parse_uint(key, value, 20, 1 << 20);
    } else {
      throw plugin::Error(JORMUN_INVALID_ARGUMENT,
                          "rocksdb: unknown option '" + key + "'");
    }
  }
  // The memtables are charged to the block cache, so their budget is a share
  // of it: a larger one is a config written for the two separate budgets of
  // before, refused rather than silently overfilling the cache.
  if (!memtable_budget_given)
    config.memtable_budget_mb = std::max<uint64_t>(1, config.block_cache_mb / 2);
  else if (config.memtable_budget_mb > config.block_cache_mb)
    reject("memtable_budget_mb", std::to_string(config.memtable_budget_mb) +
                                     " is more than block_cache_mb (" +
                                     std::to_string(config.block_cache_mb) +
                                     "), which holds the memtables too");
  return config;
}

}  // namespace jormun::rocks
