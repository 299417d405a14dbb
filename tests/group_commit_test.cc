// storage::GroupCommit on the real RocksDB engine: every batch of many
// concurrent writers is applied, writers that overlap share synced writes,
// and an engine failure reaches the writer whose group failed.
#include "storage/group_commit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <string>
#include <thread>
#include <vector>

namespace jormun::storage {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jormun-group-commit-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto library = host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so");
    engine_ = host::Instance::open(library, dir_.string(), {});
    keyspace_ = *engine_->keyspace("items", true);
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<host::Instance> engine_;
  host::Keyspace keyspace_{};
};

TEST_F(GroupCommitTest, ConcurrentWritersAllLandAndShareSyncs) {
  GroupCommit commits(*engine_);
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 40;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        host::WriteBatch batch;
        const std::string key = std::to_string(t) + "/" + std::to_string(i);
        // Two keys per batch: a group must keep each batch whole.
        batch.put(keyspace_, "a:" + key, "va" + key);
        batch.put(keyspace_, "b:" + key, "vb" + key);
        commits.write(std::move(batch));
      }
    });
  }
  for (auto& w : writers) w.join();

  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      const std::string key = std::to_string(t) + "/" + std::to_string(i);
      std::string value;
      ASSERT_TRUE(engine_->get(keyspace_, "a:" + key, &value)) << key;
      EXPECT_EQ(value, "va" + key);
      ASSERT_TRUE(engine_->get(keyspace_, "b:" + key, &value)) << key;
      EXPECT_EQ(value, "vb" + key);
    }
  }
  // Sixteen writers waiting on fsyncs overlap all the time; without sharing
  // there would be exactly one synced write per batch.
  EXPECT_LT(commits.groups_written(), static_cast<uint64_t>(kThreads * kWritesPerThread));
  EXPECT_GT(commits.groups_written(), 0u);
}

TEST_F(GroupCommitTest, EngineFailureReachesTheWriter) {
  GroupCommit commits(*engine_);
  // A keyspace handle of another instance is refused by the engine.
  const auto other_dir = dir_ / "other";
  std::filesystem::create_directories(other_dir);
  auto other = host::Instance::open(
      host::Library::load(JORMUN_TEST_PLUGIN_DIR "/jormun_rocksdb.so"),
      other_dir.string(), {});
  host::WriteBatch bad;
  bad.put(*other->keyspace("elsewhere", true), "k", "v");
  EXPECT_THROW(commits.write(std::move(bad)), std::exception);
  // The next group is unaffected.
  host::WriteBatch good;
  good.put(keyspace_, "k", "v");
  commits.write(std::move(good));
  std::string value;
  EXPECT_TRUE(engine_->get(keyspace_, "k", &value));
}

}  // namespace
}  // namespace jormun::storage
