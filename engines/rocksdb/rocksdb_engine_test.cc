// The RocksDB engine's own rules, beyond what jormun-engine-check can see
// through the ABI: option parsing, column family naming, statistics.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <vector>

#include "column_family_name.h"
#include "config.h"
#include "db_options.h"
#include "instance.h"
#include "memory_release.h"

namespace jormun::rocks {
namespace {

// The message of the plugin::Error that parsing `options` throws.
std::string rejection(const plugin::Options& options) {
  try {
    parse_config(options);
  } catch (const plugin::Error& e) {
    EXPECT_EQ(e.status(), JORMUN_INVALID_ARGUMENT);
    return e.what();
  }
  return "";
}

TEST(RocksConfig, Defaults) {
  Config c = parse_config({});
  EXPECT_EQ(c.block_cache_mb, 512u);
  EXPECT_EQ(c.compression, rocksdb::kLZ4Compression);
  EXPECT_EQ(c.bloom_bits, 10u);
  EXPECT_EQ(c.write_buffer_mb, 64u);
  EXPECT_EQ(c.memtable_budget_mb, 256u);
  EXPECT_EQ(c.release_memory_ms, 0u);
  EXPECT_EQ(c.max_open_files, 1024u);
}

// The memtables live inside the block cache's budget: without its own
// figure, their share is half of whatever block_cache_mb says.
TEST(RocksConfig, MemtableBudgetDefaultsToHalfTheBlockCache) {
  EXPECT_EQ(parse_config({{"block_cache_mb", "8"}}).memtable_budget_mb, 4u);
  EXPECT_EQ(parse_config({{"block_cache_mb", "1"}}).memtable_budget_mb, 1u);
  EXPECT_EQ(parse_config({{"memtable_budget_mb", "512"}}).memtable_budget_mb, 512u);
}

TEST(RocksConfig, RejectsAMemtableBudgetPastTheBlockCache) {
  EXPECT_EQ(rejection({{"block_cache_mb", "8"}, {"memtable_budget_mb", "16"}}),
            "rocksdb: option 'memtable_budget_mb': 16 is more than block_cache_mb (8), "
            "which holds the memtables too");
  EXPECT_EQ(
      rejection({{"memtable_budget_mb", "513"}}),
      "rocksdb: option 'memtable_budget_mb': 513 is more than block_cache_mb (512), "
      "which holds the memtables too");
}

TEST(RocksConfig, ParsesEveryOption) {
  Config c = parse_config({{"block_cache_mb", "128"},
                           {"compression", "zstd"},
                           {"bloom_bits", "0"},
                           {"write_buffer_mb", "8"},
                           {"memtable_budget_mb", "32"},
                           {"release_memory_ms", "1000"},
                           {"max_open_files", "20"}});
  EXPECT_EQ(c.block_cache_mb, 128u);
  EXPECT_EQ(c.compression, rocksdb::kZSTD);
  EXPECT_EQ(c.bloom_bits, 0u);
  EXPECT_EQ(c.write_buffer_mb, 8u);
  EXPECT_EQ(c.memtable_budget_mb, 32u);
  EXPECT_EQ(c.release_memory_ms, 1000u);
  EXPECT_EQ(c.max_open_files, 20u);
  for (const char* name : {"none", "snappy", "lz4", "zlib"})
    EXPECT_EQ(rejection({{"compression", name}}), "") << name;
}

TEST(RocksConfig, RejectsNamingTheKey) {
  EXPECT_EQ(rejection({{"foo", "1"}}), "rocksdb: unknown option 'foo'");
  const std::pair<std::string, std::string> bad[] = {
      {"block_cache_mb", "0"},     {"block_cache_mb", "12x"},
      {"compression", "brotli"},   {"bloom_bits", "33"},
      {"write_buffer_mb", "-1"},   {"release_memory_ms", "3600001"},
      {"release_memory_ms", "1s"}, {"max_open_files", "19"},
      {"max_open_files", "-1"},
  };
  for (const auto& [key, value] : bad)
    EXPECT_NE(rejection({{key, value}}).find("option '" + key + "'"), std::string::npos)
        << key << "=" << value;
  EXPECT_NE(rejection({{"write_buffer_mb", ""}}).find("write_buffer_mb"),
            std::string::npos);
  EXPECT_EQ(rejection({{"sync", "true"}}), "rocksdb: unknown option 'sync'");
  EXPECT_NE(rejection({{"bloom_bits", "1"}, {"bloom_bits", "2"}}).find("more than once"),
            std::string::npos);
}

TEST(RocksDbOptions, InstancesOfOneSizeShareTheirBlockCacheAndMemtableBudget) {
  DbOptions a = make_db_options(parse_config({}));
  DbOptions b = make_db_options(parse_config({}));
  DbOptions other = make_db_options(parse_config({{"block_cache_mb", "8"}}));
  EXPECT_EQ(a.block_cache, b.block_cache);
  EXPECT_NE(a.block_cache, other.block_cache);
  EXPECT_EQ(a.block_cache->GetCapacity(), 512u << 20);
  EXPECT_EQ(a.db.write_buffer_manager, b.db.write_buffer_manager);
  EXPECT_EQ(a.db.write_buffer_manager->buffer_size(), 256u << 20);
  EXPECT_EQ(other.block_cache->GetCapacity(), 8u << 20);
  EXPECT_EQ(other.db.write_buffer_manager->buffer_size(), 4u << 20);
}

// A table keeps up to max_open_files of its SST files open: a table of more
// files than RocksDB's table cache holds reopens one (its footer, index and
// filter read and parsed) on most reads. At 64 files a table of ten million
// 1 KB items read at a fifth of its rate (docs/benchmarks.md).
TEST(RocksDbOptions, ATableKeepsMaxOpenFilesOfItsFilesOpen) {
  EXPECT_EQ(make_db_options(parse_config({})).db.max_open_files, 1024);
  EXPECT_EQ(make_db_options(parse_config({{"max_open_files", "100"}})).db.max_open_files,
            100);
}

// block_cache_mb is the engine's one budget: memtable memory is charged to
// the shared block cache, so it evicts blocks instead of adding to them.
TEST(RocksDbOptions, MemtablesAreChargedToTheBlockCache) {
  DbOptions options = make_db_options(parse_config({{"block_cache_mb", "16"}}));
  auto& memtables = *options.db.write_buffer_manager;
  EXPECT_TRUE(memtables.cost_to_cache());
  size_t before = options.block_cache->GetUsage();
  memtables.ReserveMem(4 << 20);
  EXPECT_GE(options.block_cache->GetUsage(), before + (4 << 20));
  memtables.ScheduleFreeMem(4 << 20);
  memtables.FreeMem(4 << 20);
}

TEST(RocksDbOptions, InstancesShareOneMemoryReleaserPerInterval) {
  DbOptions a = make_db_options(parse_config({{"release_memory_ms", "1000"}}));
  DbOptions b = make_db_options(
      parse_config({{"block_cache_mb", "8"}, {"release_memory_ms", "1000"}}));
  DbOptions other = make_db_options(parse_config({{"release_memory_ms", "50"}}));
  ASSERT_NE(a.memory_releaser, nullptr);
  EXPECT_EQ(a.memory_releaser, b.memory_releaser);
  EXPECT_EQ(a.memory_releaser->interval_ms(), 1000u);
  ASSERT_NE(other.memory_releaser, nullptr);
  EXPECT_EQ(other.memory_releaser->interval_ms(), 50u);
  EXPECT_EQ(make_db_options(parse_config({})).memory_releaser, nullptr);
}

// This process's anonymous resident memory, from /proc/self/status.
size_t anon_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("RssAnon:")) return std::stoul(line.substr(8));
  return 0;
}

// Free memory between live blocks, as cache evictions leave it, stays
// resident until it is released.
TEST(MemoryRelease, ReturnsFreePagesBetweenLiveBlocksToTheSystem) {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // Under a sanitizer the heap is the sanitizer's, which malloc_trim (glibc's)
  // does not reach: there is nothing of glibc's to measure.
  GTEST_SKIP()
      << "malloc_trim releases glibc's heap, and this build's heap is not glibc's";
#endif
  constexpr size_t kBlock = 64 << 10, kBlocks = 1024;  // 64 MB, half freed
  std::vector<std::unique_ptr<char[]>> blocks;
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.emplace_back(new char[kBlock]);
    std::memset(blocks.back().get(), 1, kBlock);
  }
  for (size_t i = 0; i < kBlocks; i += 2) blocks[i].reset();
  const size_t before = anon_kb();
  release_free_memory();
  const size_t after = anon_kb();
  EXPECT_GE(before, after + (kBlocks / 2) * (kBlock >> 10) * 3 / 4)
      << "before " << before << " kB, after " << after << " kB";
}

TEST(RocksColumnFamilyName, RoundTripsAnyBytes) {
  const std::string names[] = {"base", "gsi:By Date", std::string("a\0b", 3),
                               "%41",  "\xFF\x80/\"", "default"};
  for (const auto& name : names) {
    std::string cf = column_family_for(name);
    EXPECT_NE(cf, "default");
    for (unsigned char c : cf) EXPECT_TRUE(c > 0x20 && c < 0x7F && c != '"') << cf;
    EXPECT_EQ(keyspace_for(cf), name);
  }
  EXPECT_EQ(column_family_for("gsi:x"), "ks_gsi%3Ax");
}

TEST(RocksColumnFamilyName, RefusesForeignNames) {
  EXPECT_EQ(keyspace_for("default"), std::nullopt);
  EXPECT_EQ(keyspace_for("ks_"), std::nullopt);
  EXPECT_EQ(keyspace_for("ks_a%4"), std::nullopt);
  EXPECT_EQ(keyspace_for("ks_a%G0"), std::nullopt);
}

TEST(RocksInstance, ReportsSizeAndKeyEstimatesAndKeepsNoLogFile) {
  auto dir = std::filesystem::temp_directory_path() /
             ("jormun-rocksdb-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto instance = RocksInstance::open(dir.string(), {{"compression", "none"}});
    plugin::Keyspace* ks = instance->keyspace_open("t", true);
    const std::string value(1000, 'v');
    std::vector<std::string> keys;
    for (int i = 0; i < 1000; ++i) keys.push_back("key" + std::to_string(i));
    std::vector<jormun_write_op> ops;
    for (const auto& k : keys)
      ops.push_back({JORMUN_OP_PUT,
                     0,
                     reinterpret_cast<jormun_keyspace*>(ks),
                     {reinterpret_cast<const uint8_t*>(k.data()), k.size()},
                     {reinterpret_cast<const uint8_t*>(value.data()), value.size()}});
    instance->write(ops.data(), ops.size(), false);
    std::map<std::string, std::string> stats;
    instance->stats(
        [](void* ctx, const char* name, const char* v) {
          (*static_cast<std::map<std::string, std::string>*>(ctx))[name] = v;
        },
        &stats);
    ASSERT_TRUE(stats.count("approximate_size_bytes"));
    ASSERT_TRUE(stats.count("estimate_num_keys"));
    EXPECT_GE(std::stoull(stats["approximate_size_bytes"]), 1000u * 1000u);
    EXPECT_EQ(std::stoull(stats["estimate_num_keys"]), 1000u);
    EXPECT_EQ(stats["keyspaces"], "1");
    for (const char* name : {"block_cache_hits_total", "block_cache_misses_total",
                             "pending_compaction_bytes", "running_compactions"})
      EXPECT_TRUE(stats.count(name)) << name;
  }
  // The info log goes to stderr: a LOG file on a full data disk made
  // RocksDB abort the process.
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    EXPECT_FALSE(entry.path().filename().string().starts_with("LOG")) << entry.path();
  std::filesystem::remove_all(dir);
}

// The block cache is shared by every table, its hits and misses are counted
// per instance: a reopened table starts from zero, another table's reads
// are not its own.
TEST(RocksInstance, CountsItsOwnBlockCacheHitsAndMisses) {
  auto dir = std::filesystem::temp_directory_path() /
             ("jormun-rocksdb-counters-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  for (const char* name : {"a", "b"}) std::filesystem::create_directories(dir / name);
  using Stats = std::map<std::string, std::string>;
  auto stats_of = [](plugin::Instance& instance) {
    Stats stats;
    instance.stats([](void* ctx, const char* name,
                      const char* v) { (*static_cast<Stats*>(ctx))[name] = v; },
                   &stats);
    return std::make_pair(std::stoull(stats["block_cache_hits_total"]),
                          std::stoull(stats["block_cache_misses_total"]));
  };
  const std::string key = "k", value(100, 'v');
  auto read = [&](plugin::Instance& instance, plugin::Keyspace* ks) {
    instance.get(
        ks, nullptr, key, [](void*, const uint8_t*, size_t) {}, nullptr);
  };
  {
    auto a = RocksInstance::open((dir / "a").string(), {{"compression", "none"}});
    plugin::Keyspace* ks = a->keyspace_open("t", true);
    jormun_write_op put{JORMUN_OP_PUT,
                        0,
                        reinterpret_cast<jormun_keyspace*>(ks),
                        {reinterpret_cast<const uint8_t*>(key.data()), key.size()},
                        {reinterpret_cast<const uint8_t*>(value.data()), value.size()}};
    a->write(&put, 1, false);
    a->control(
        "flush", {}, [](void*, const char*, const char*) {}, nullptr);
  }
  auto a = RocksInstance::open((dir / "a").string(), {{"compression", "none"}});
  auto b = RocksInstance::open((dir / "b").string(), {{"compression", "none"}});
  plugin::Keyspace* ks = a->keyspace_open("t", false);
  EXPECT_EQ(stats_of(*a), std::make_pair(0ull, 0ull));
  read(*a, ks);
  const auto [hits, misses] = stats_of(*a);
  EXPECT_GE(misses, 1u);
  read(*a, ks);
  EXPECT_GT(stats_of(*a).first, hits);
  EXPECT_EQ(stats_of(*a).second, misses);
  EXPECT_EQ(stats_of(*b), std::make_pair(0ull, 0ull));
  a.reset();
  b.reset();
  std::filesystem::remove_all(dir);
}

// control: flush and compact keep the data and answer their figures; other
// commands and any argument are refused.
TEST(RocksInstance, ControlFlushesAndCompacts) {
  auto dir = std::filesystem::temp_directory_path() /
             ("jormun-rocksdb-control-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto instance = RocksInstance::open(dir.string(), {{"compression", "none"}});
    plugin::Keyspace* ks = instance->keyspace_open("t", true);
    const std::string key = "k", value(4000, 'v');
    jormun_write_op put{JORMUN_OP_PUT,
                        0,
                        reinterpret_cast<jormun_keyspace*>(ks),
                        {reinterpret_cast<const uint8_t*>(key.data()), key.size()},
                        {reinterpret_cast<const uint8_t*>(value.data()), value.size()}};
    instance->write(&put, 1, false);
    using Answer = std::map<std::string, std::string>;
    auto run = [&](const std::string& command, const plugin::Options& args = {}) {
      Answer answer;
      instance->control(
          command, args,
          [](void* ctx, const char* name, const char* v) {
            (*static_cast<Answer*>(ctx))[name] = v;
          },
          &answer);
      return answer;
    };
    EXPECT_EQ(run("flush")["keyspaces"], "1");
    Answer compacted = run("compact");
    EXPECT_EQ(compacted["keyspaces"], "1");
    EXPECT_GE(std::stoull(compacted["live_sst_bytes"]), value.size());
    bool found = false;
    instance->get(
        ks, nullptr, key,
        [](void* ctx, const uint8_t*, size_t n) { *static_cast<bool*>(ctx) = n > 0; },
        &found);
    EXPECT_TRUE(found);
    auto status_of = [&](const std::string& command, const plugin::Options& args) {
      try {
        run(command, args);
      } catch (const plugin::Error& e) {
        return e.status();
      }
      return JORMUN_OK;
    };
    EXPECT_EQ(status_of("vacuum", {}), JORMUN_NOT_SUPPORTED);
    EXPECT_EQ(status_of("compact", {{"level", "1"}}), JORMUN_INVALID_ARGUMENT);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jormun::rocks
