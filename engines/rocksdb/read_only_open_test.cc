// An existing database opened read-only until its first change (database.h):
// what a reopen costs, and what callers hold across the change.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "instance.h"

namespace jormun::rocks {
namespace {

namespace fs = std::filesystem;

jormun_bytes bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string text(jormun_bytes b) {
  return std::string(reinterpret_cast<const char*>(b.data), b.size);
}

void put(plugin::Instance& instance, plugin::Keyspace* ks, std::string_view key,
         std::string_view value) {
  jormun_write_op op{JORMUN_OP_PUT, 0, reinterpret_cast<jormun_keyspace*>(ks), bytes(key),
                     bytes(value)};
  instance.write(&op, 1, false);
}

void del(plugin::Instance& instance, plugin::Keyspace* ks, std::string_view key) {
  jormun_write_op op{
      JORMUN_OP_DELETE, 0, reinterpret_cast<jormun_keyspace*>(ks), bytes(key), {}};
  instance.write(&op, 1, false);
}

bool has(plugin::Instance& instance, plugin::Keyspace* ks, std::string_view key,
         const plugin::Snapshot* snapshot = nullptr) {
  return instance.get(
      ks, snapshot, key, [](void*, const uint8_t*, size_t) {}, nullptr);
}

std::unique_ptr<plugin::Iterator> scan(plugin::Instance& instance, plugin::Keyspace* ks,
                                       bool reverse = false,
                                       const plugin::Snapshot* snapshot = nullptr) {
  plugin::Range range;
  range.reverse = reverse;
  range.snapshot = snapshot;
  return instance.iterate(ks, range);
}

std::vector<std::string> rest(plugin::Iterator& it) {
  std::vector<std::string> keys;
  jormun_bytes k, v;
  while (it.next(&k, &v)) keys.push_back(text(k));
  return keys;
}

std::set<std::string> files(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    out.insert(entry.path().filename().string() + " " +
               std::to_string(entry.is_regular_file() ? entry.file_size() : 0));
  return out;
}

class ReadOnlyOpen : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("jormun-rocksdb-reopen-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    {
      auto instance = open();
      plugin::Keyspace* ks = instance->keyspace_open("t", true);
      for (const char* key : {"a", "b", "c", "d", "e"}) put(*instance, ks, key, "old");
    }
    // Written last: opened writable, which moves the WAL to a table file.
    open();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<plugin::Instance> open() {
    return RocksInstance::open(dir_.string(), {{"compression", "none"}});
  }
  fs::path dir_;
};

// The point of the read-only open: a table that is only read costs its
// reopen no file written and no sync (a read-write open writes a manifest,
// a WAL and an options file, and syncs them).
TEST_F(ReadOnlyOpen, AReopenThatOnlyReadsWritesNoFile) {
  const std::set<std::string> before = files(dir_);
  {
    auto instance = open();
    plugin::Keyspace* ks = instance->keyspace_open("t", true);
    EXPECT_TRUE(has(*instance, ks, "c"));
    EXPECT_EQ(rest(*scan(*instance, ks)),
              (std::vector<std::string>{"a", "b", "c", "d", "e"}));
    instance->sync();
    instance->stats([](void*, const char*, const char*) {}, nullptr);
  }
  EXPECT_EQ(files(dir_), before);
  {
    auto instance = open();
    put(*instance, instance->keyspace_open("t", false), "f", "new");
  }
  const std::set<std::string> written = files(dir_);
  EXPECT_NE(written, before);
  // Written last: opened writable at once (its first write is spared a
  // second open), so even a reopen that only reads writes files.
  {
    auto instance = open();
    EXPECT_TRUE(has(*instance, instance->keyspace_open("t", false), "f"));
  }
  EXPECT_NE(files(dir_), written);
  const std::set<std::string> flushed = files(dir_);
  { auto instance = open(); }
  EXPECT_EQ(files(dir_), flushed);
}

// A snapshot and iterators taken before the first write read on in the
// state they began with; the key an iterator gave last stays readable.
TEST_F(ReadOnlyOpen, SnapshotsAndIteratorsReadOnAcrossTheFirstWrite) {
  auto instance = open();
  plugin::Keyspace* ks = instance->keyspace_open("t", false);
  plugin::Snapshot* snapshot = instance->snapshot_acquire();
  auto forward = scan(*instance, ks);
  auto backward = scan(*instance, ks, /*reverse=*/true, snapshot);
  auto unstarted = scan(*instance, ks);
  jormun_bytes k, v;
  ASSERT_TRUE(forward->next(&k, &v));
  ASSERT_TRUE(forward->next(&k, &v));
  jormun_bytes back_k, back_v;
  ASSERT_TRUE(backward->next(&back_k, &back_v));
  ASSERT_TRUE(backward->next(&back_k, &back_v));

  put(*instance, ks, "bb", "new");
  del(*instance, ks, "c");
  put(*instance, ks, "f", "new");

  EXPECT_EQ(text(k), "b");
  EXPECT_EQ(text(v), "old");
  EXPECT_EQ(text(back_k), "d");
  EXPECT_EQ(rest(*forward), (std::vector<std::string>{"c", "d", "e"}));
  EXPECT_EQ(rest(*backward), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(rest(*unstarted), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(has(*instance, ks, "c", snapshot));
  EXPECT_FALSE(has(*instance, ks, "f", snapshot));
  EXPECT_FALSE(has(*instance, ks, "c"));
  EXPECT_EQ(rest(*scan(*instance, ks)),
            (std::vector<std::string>{"a", "b", "bb", "d", "e", "f"}));
  EXPECT_EQ(rest(*scan(*instance, ks, false, snapshot)),
            (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  forward.reset();
  backward.reset();
  unstarted.reset();
  instance->snapshot_release(snapshot);
}

// Read-only or not, the directory is the instance's alone.
TEST_F(ReadOnlyOpen, ASecondOpenOfTheDirectoryIsBusy) {
  auto status_of_open = [&] {
    try {
      open();
    } catch (const plugin::Error& e) {
      return e.status();
    }
    return JORMUN_OK;
  };
  auto instance = open();
  EXPECT_EQ(status_of_open(), JORMUN_BUSY);
  put(*instance, instance->keyspace_open("t", false), "f", "new");
  EXPECT_EQ(status_of_open(), JORMUN_BUSY);
  instance.reset();
  EXPECT_EQ(status_of_open(), JORMUN_OK);
}

// The other changes reopen the database writable too.
TEST_F(ReadOnlyOpen, KeyspacesAndCheckpointsOfAReopenedInstance) {
  const fs::path target = dir_.string() + "-checkpoint";
  fs::remove_all(target);
  {
    auto instance = open();
    plugin::Keyspace* added = instance->keyspace_open("u", true);
    put(*instance, added, "x", "1");
    instance->checkpoint(target.string());
  }
  {
    auto instance = open();
    instance->keyspace_drop(instance->keyspace_open("t", false));
  }
  for (const fs::path& dir : {dir_, target}) {
    auto instance = RocksInstance::open(dir.string(), {{"compression", "none"}});
    plugin::Keyspace* u = instance->keyspace_open("u", false);
    ASSERT_NE(u, nullptr) << dir;
    EXPECT_TRUE(has(*instance, u, "x")) << dir;
    EXPECT_EQ(instance->keyspace_open("t", false) == nullptr, dir == dir_) << dir;
  }
  {
    auto instance = open();
    instance->checkpoint(target.string() + "2");
  }
  EXPECT_TRUE(fs::exists(target.string() + "2/CURRENT"));
  fs::remove_all(target);
  fs::remove_all(target.string() + "2");
}

}  // namespace
}  // namespace jormun::rocks
