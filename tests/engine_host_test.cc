// engine.hpp's plugin loading: Library::validate refuses malformed function
// tables with a reason, and Library::load reports dlopen failures verbatim.
#include <gtest/gtest.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <jormun/plugin.hpp>

namespace {

std::unique_ptr<jormun::plugin::Instance> open_nothing(const std::string&,
                                                       const jormun::plugin::Options&) {
  throw jormun::plugin::Error(JORMUN_NOT_SUPPORTED, "test table");
}

// A complete table, as the plugin adaptor builds it, to be damaged by tests.
jormun_engine_api valid_table(uint64_t capabilities = JORMUN_CAP_SNAPSHOTS |
                                                      JORMUN_CAP_CHECKPOINT) {
  return jormun::plugin::detail::Table<&open_nothing>::make("fake", "0", capabilities);
}

using jormun::host::Library;

TEST(EngineHostValidate, AcceptsCompleteTable) {
  jormun_engine_api api = valid_table();
  EXPECT_EQ(Library::validate(&api), "");
  jormun_engine_api plain = valid_table(0);
  EXPECT_EQ(plain.snapshot_acquire, nullptr);
  EXPECT_EQ(Library::validate(&plain), "");
}

TEST(EngineHostValidate, RefusesEachMissingCallback) {
  struct Case {
    const char* name;
    void (*clear)(jormun_engine_api&);
  };
  const Case cases[] = {
      {"open", [](jormun_engine_api& a) { a.open = nullptr; }},
      {"close", [](jormun_engine_api& a) { a.close = nullptr; }},
      {"keyspace_open", [](jormun_engine_api& a) { a.keyspace_open = nullptr; }},
      {"keyspace_drop", [](jormun_engine_api& a) { a.keyspace_drop = nullptr; }},
      {"get", [](jormun_engine_api& a) { a.get = nullptr; }},
      {"write", [](jormun_engine_api& a) { a.write = nullptr; }},
      {"iter_create", [](jormun_engine_api& a) { a.iter_create = nullptr; }},
      {"iter_next", [](jormun_engine_api& a) { a.iter_next = nullptr; }},
      {"iter_destroy", [](jormun_engine_api& a) { a.iter_destroy = nullptr; }},
      {"stats", [](jormun_engine_api& a) { a.stats = nullptr; }},
  };
  for (const auto& c : cases) {
    jormun_engine_api api = valid_table();
    c.clear(api);
    EXPECT_EQ(Library::validate(&api), std::string("missing callback ") + c.name);
  }
}

TEST(EngineHostValidate, RefusesCapabilityWithoutItsFunctions) {
  jormun_engine_api api = valid_table();
  api.snapshot_release = nullptr;
  EXPECT_NE(Library::validate(&api).find("SNAPSHOTS"), std::string::npos);

  api = valid_table();
  api.snapshot_acquire = nullptr;
  EXPECT_NE(Library::validate(&api).find("SNAPSHOTS"), std::string::npos);

  api = valid_table();
  api.checkpoint = nullptr;
  EXPECT_NE(Library::validate(&api).find("CHECKPOINT"), std::string::npos);
}

TEST(EngineHostValidate, RefusesWrongMajor) {
  jormun_engine_api api = valid_table();
  api.abi_major = JORMUN_ABI_MAJOR + 1;
  EXPECT_EQ(Library::validate(&api), "plugin speaks engine ABI major 2, host speaks 1");
}

TEST(EngineHostValidate, RefusesTooSmallStruct) {
  jormun_engine_api api = valid_table();
  api.struct_size = offsetof(jormun_engine_api, stats);
  EXPECT_NE(Library::validate(&api).find("too small"), std::string::npos);
}

TEST(EngineHostValidate, RefusesMissingName) {
  jormun_engine_api api = valid_table();
  api.name = nullptr;
  EXPECT_EQ(Library::validate(&api), "plugin has no name or version");
}

TEST(EngineHostLoad, ReportsDlerrorForMissingFile) {
  const std::string path = "/nonexistent/jormun_missing.so";
  try {
    Library::load(path);
    FAIL() << "loading a missing file succeeded";
  } catch (const std::runtime_error& e) {
    // dlerror() names the file and the system's reason.
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST(EngineHostLoad, RefusesLibraryWithoutEntryPoint) {
  try {
    Library::load("libm.so.6");
    FAIL() << "a library without the entry point loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no symbol jormun_engine_entry"),
              std::string::npos)
        << e.what();
  }
}

TEST(EngineHostLoad, LoadsBuiltPlugin) {
  const std::string path = JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so";
  // The build makes the plugins before this test (tests/CMakeLists.txt).
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is not built";
  auto library = Library::load(path);
  EXPECT_EQ(library->name(), "rocksdb");
  EXPECT_TRUE(library->has(JORMUN_CAP_SNAPSHOTS | JORMUN_CAP_CHECKPOINT));
}

}  // namespace
