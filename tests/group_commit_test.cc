// storage::GroupCommit on the real engines: every batch of many concurrent
// writers is applied, writers that overlap share engine writes (synced or
// not), and an engine failure reaches the writer whose group failed. Which
// tables write through it (storage::Table::writes_wait_for_group).
#include "storage/group_commit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <jormun/engine.hpp>
#include <string>
#include <thread>
#include <vector>

#include "rocksdb_table_util.h"

namespace jormun::storage {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::fresh_test_dir("group-commit");
    open("jormun_rocksdb");
  }
  void open(const std::string& plugin) {
    engine_.reset();
    std::filesystem::remove_all(dir_ / "engine");
    std::filesystem::create_directories(dir_ / "engine");
    auto library =
        host::Library::load(std::string(JORMUN_TEST_PLUGIN_DIR "/") + plugin + ".so");
    engine_ = host::Instance::open(library, (dir_ / "engine").string(), {});
    keyspace_ = *engine_->keyspace("items", true);
  }
  // kThreads writers of kWritesPerThread two-key batches each, every one
  // synced when `sync`; checks that each batch landed whole.
  void write_concurrently(GroupCommit& commits, bool (*sync)(int writer));
  static constexpr int kThreads = 16;
  static constexpr int kWritesPerThread = 40;

  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<host::Instance> engine_;
  host::Keyspace keyspace_{};
};

void GroupCommitTest::write_concurrently(GroupCommit& commits, bool (*sync)(int writer)) {
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        host::WriteBatch batch;
        const std::string key = std::to_string(t) + "/" + std::to_string(i);
        // Two keys per batch: a group must keep each batch whole.
        batch.put(keyspace_, "a:" + key, "va" + key);
        batch.put(keyspace_, "b:" + key, "vb" + key);
        commits.write(std::move(batch), sync(t));
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
}

TEST_F(GroupCommitTest, ConcurrentWritersAllLandAndShareSyncs) {
  GroupCommit commits(*engine_);
  write_concurrently(commits, [](int) { return true; });
  // Sixteen writers waiting on fsyncs overlap all the time; without sharing
  // there would be exactly one synced write per batch.
  EXPECT_LT(commits.groups_written(), static_cast<uint64_t>(kThreads * kWritesPerThread));
  EXPECT_GT(commits.groups_written(), 0u);
}

// LMDB pays a flush per commit even unsynced: unsynced writers share
// transactions too, and a group that mixes synced and unsynced writes keeps
// every batch.
TEST_F(GroupCommitTest, UnsyncedAndMixedWritersShareLmdbTransactions) {
  open("jormun_lmdb");
  GroupCommit commits(*engine_);
  write_concurrently(commits, [](int writer) { return writer % 4 == 0; });
  EXPECT_LT(commits.groups_written(), static_cast<uint64_t>(kThreads * kWritesPerThread));
  EXPECT_GT(commits.groups_written(), 0u);
}

TEST(GroupCommitTables, EveryWriteOfAOneWriterEngineWaitsForAGroup) {
  auto dir = test::fresh_test_dir("group-commit-tables");
  auto open = [&](const std::string& plugin, bool durable) {
    auto schema = test::pk_schema(plugin + (durable ? "_durable" : ""), false);
    schema.durable = durable;
    auto library =
        host::Library::load(std::string(JORMUN_TEST_PLUGIN_DIR "/") + plugin + ".so");
    std::filesystem::create_directories(dir / schema.name);
    return std::make_unique<Table>(schema,
                                   host::Instance::open(library, (dir / schema.name).string(), {}));
  };
  EXPECT_FALSE(open("jormun_rocksdb", false)->writes_wait_for_group());
  EXPECT_TRUE(open("jormun_rocksdb", true)->writes_wait_for_group());
  EXPECT_FALSE(open("jormun_sqlite", false)->writes_wait_for_group());
  EXPECT_TRUE(open("jormun_lmdb", false)->writes_wait_for_group());
  EXPECT_TRUE(open("jormun_lmdb", true)->writes_wait_for_group());
  std::filesystem::remove_all(dir);
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
