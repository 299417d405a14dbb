// engine.hpp's plugin loading: Library::validate refuses malformed function
// tables with a reason, and Library::load reports dlopen failures verbatim.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>
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

// An open function that keeps the host: it logs and reports through it,
// then refuses, so no instance is made.
std::unique_ptr<jormun::plugin::Instance> open_logging(const std::string& dir,
                                                       const jormun::plugin::Options&,
                                                       const jormun::plugin::Host& host) {
  host.log(JORMUN_LOG_WARN, "opening " + dir);
  host.background_error(JORMUN_IO_ERROR, "disk trouble");
  throw jormun::plugin::Error(JORMUN_NOT_SUPPORTED, "test table");
}

TEST(EngineHostServices, ReachTheEngineThroughOpenWithHost) {
  struct Seen {
    std::vector<std::string> lines;
  } seen;
  const jormun_host_services services{
      sizeof(jormun_host_services), 0, &seen,
      [](void* ctx, uint32_t level, const char* message) {
        static_cast<Seen*>(ctx)->lines.push_back(std::to_string(level) + " " + message);
      },
      [](void* ctx, jormun_status status, const char* message) {
        static_cast<Seen*>(ctx)->lines.push_back("bg " + std::to_string(status) + " " +
                                                 message);
      }};
  jormun_engine_api api =
      jormun::plugin::detail::Table<&open_logging>::make("fake", "0", 0);
  jormun_instance* out = nullptr;
  EXPECT_EQ(api.open_with_host("/d", nullptr, 0, &services, &out, nullptr),
            JORMUN_NOT_SUPPORTED);
  EXPECT_EQ(seen.lines, (std::vector<std::string>{"2 opening /d", "bg 3 disk trouble"}));
  // The 1.0 `open` gives the engine a Host that does nothing.
  seen.lines.clear();
  EXPECT_EQ(api.open("/d", nullptr, 0, &out, nullptr), JORMUN_NOT_SUPPORTED);
  EXPECT_TRUE(seen.lines.empty());
}

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

  api = valid_table(JORMUN_CAP_PRECONDITIONS);
  EXPECT_EQ(Library::validate(&api), "");
  api.write_checked = nullptr;
  EXPECT_NE(Library::validate(&api).find("PRECONDITIONS"), std::string::npos);

  api = valid_table(JORMUN_CAP_PRECONDITIONS | JORMUN_CAP_JOINT_WRITES);
  EXPECT_EQ(Library::validate(&api), "");
  api.write_joint = nullptr;
  EXPECT_NE(Library::validate(&api).find("JOINT_WRITES"), std::string::npos);
  // A 1.3 table claiming the 1.4 bit: its struct ends before write_joint.
  api = valid_table(JORMUN_CAP_PRECONDITIONS | JORMUN_CAP_JOINT_WRITES);
  api.struct_size = offsetof(jormun_engine_api, write_joint);
  EXPECT_NE(Library::validate(&api).find("JOINT_WRITES"), std::string::npos);
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

// A plugin of an older minor (ABI 1.0: no open_with_host, control,
// write_checked, write_joint) loads, opens through `open`, reads and writes; the 1.3
// calls answer NOT_SUPPORTED from the host side without touching the
// members past its struct_size (the plugin answers INTERNAL there).
TEST(EngineHostLoad, LoadsAnOlderMinorPlugin) {
  auto library = Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_sqlite_abi_1_0.so");
  EXPECT_EQ(library->api().abi_minor, 0u);
  EXPECT_FALSE(library->opens_with_host());
  EXPECT_FALSE(library->has_control());
  EXPECT_FALSE(library->checks_options());
  EXPECT_FALSE(library->has(JORMUN_CAP_PRECONDITIONS));
  const auto dir = std::filesystem::temp_directory_path() /
                   ("jormun-old-minor-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    const jormun_host_services services{sizeof(jormun_host_services), 0, nullptr, nullptr,
                                        nullptr};
    auto instance = jormun::host::Instance::open(library, dir.string(), {}, &services);
    auto ks = instance->keyspace("items", true);
    ASSERT_TRUE(ks);
    jormun::host::WriteBatch batch;
    batch.put(*ks, "k", "v");
    instance->write(batch, false);
    std::string value;
    ASSERT_TRUE(instance->get(*ks, "k", &value));
    EXPECT_EQ(value, "v");
    auto status_of = [](auto&& call) {
      try {
        call();
      } catch (const jormun::host::EngineError& e) {
        return e.status();
      }
      return JORMUN_OK;
    };
    EXPECT_EQ(status_of([&] { instance->control("compact"); }), JORMUN_NOT_SUPPORTED);
    jormun::host::WriteBatch checked;
    checked.expect(*ks, "k", "v");
    checked.put(*ks, "k", "w");
    EXPECT_EQ(status_of([&] { instance->write(checked, false); }), JORMUN_NOT_SUPPORTED);
    // No joint writes before 1.4: declined, nothing written.
    EXPECT_FALSE(jormun::host::Instance::write_joint({{instance.get(), &checked}}, false));
    ASSERT_TRUE(instance->get(*ks, "k", &value));
    EXPECT_EQ(value, "v");
    EXPECT_FALSE(instance->sync());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
