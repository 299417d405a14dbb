// EngineRegistry at start-up: every declared engine's options are checked
// (check_options, or a throwaway instance for plugins without it), and a
// refused one stops start-up with a ConfigError naming its place in the
// file, engines.<name>.options.<key>.
#include "storage/engine_registry.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;

config::Config with_engine(const std::string& plugin, config::EngineConfig engine) {
  config::Config c;
  engine.plugin = plugin;
  c.engines.push_back(std::move(engine));
  c.default_engine = c.engines[0].name;
  return c;
}

std::string error_of(const config::Config& c) {
  try {
    EngineRegistry registry(c, JORMUN_TEST_PLUGIN_DIR);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

// Points TMPDIR at a fresh directory for the test, to see what is left in it.
class ScratchTmp {
 public:
  ScratchTmp() {
    if (const char* old = ::getenv("TMPDIR")) saved_ = old;
    std::string pattern = (fs::temp_directory_path() / "jormun_registry_XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    ::setenv("TMPDIR", dir_.c_str(), 1);
  }
  ~ScratchTmp() {
    if (saved_)
      ::setenv("TMPDIR", saved_->c_str(), 1);
    else
      ::unsetenv("TMPDIR");
    fs::remove_all(dir_);
  }
  bool empty() const { return fs::is_empty(dir_); }

 private:
  std::optional<std::string> saved_;
  std::string dir_;
};

TEST(EngineRegistry, NamesTheOptionAnEngineRefuses) {
  ScratchTmp tmp;
  std::string error = error_of(with_engine(
      "sqlite", {"small", "", {{"synchronous", "full"}, {"partitions", "3"}}}));
  EXPECT_EQ(error.rfind("engines.small.options.partitions: ", 0), 0u) << error;
  EXPECT_NE(error.find("power of two"), std::string::npos) << error;

  error = error_of(with_engine("lmdb", {"cache", "", {{"map_sise_mb", "64"}}}));
  EXPECT_EQ(error.rfind("engines.cache.options.map_sise_mb: ", 0), 0u) << error;
  EXPECT_NE(error.find("unknown option 'map_sise_mb'"), std::string::npos) << error;
  EXPECT_TRUE(tmp.empty()) << "the throwaway instances were left behind";
}

TEST(EngineRegistry, AcceptsGoodOptionsAndLeavesNothingBehind) {
  ScratchTmp tmp;
  config::Config c = with_engine(
      "sqlite", {"sqlite", "", {{"partitions", "4"}, {"synchronous", "off"}}});
  c.engines.push_back({"lmdb", "lmdb", {{"map_size_mb", "8"}, {"sync", "false"}}});
  c.engines.push_back({"rocksdb", "rocksdb", {}});
  EXPECT_EQ(error_of(c), "no error");
  EXPECT_TRUE(tmp.empty()) << "the throwaway instances were left behind";
}

// A plugin of ABI 1.0 has no check_options: its options are tried on a
// throwaway instance, with the same answers and nothing left behind.
TEST(EngineRegistry, ChecksAPluginWithoutCheckOptionsOnAThrowawayInstance) {
  ScratchTmp tmp;
  std::string error = error_of(with_engine(
      "sqlite_abi_1_0", {"small", "", {{"synchronous", "full"}, {"partitions", "3"}}}));
  EXPECT_EQ(error.rfind("engines.small.options.partitions: ", 0), 0u) << error;
  EXPECT_EQ(error_of(with_engine("sqlite_abi_1_0", {"ok", "", {{"partitions", "4"}}})),
            "no error");
  EXPECT_TRUE(tmp.empty()) << "the throwaway instances were left behind";
}

TEST(EngineRegistry, PluginThatDoesNotLoadNamesTheEngine) {
  std::string error = error_of(with_engine("/nonexistent/jormun_x.so", {"x", "", {}}));
  EXPECT_EQ(error.rfind("engine 'x': ", 0), 0u) << error;
}

}  // namespace
}  // namespace jormun::storage
