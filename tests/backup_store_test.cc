// Backups on disk (storage/backup_store.h) against real RocksDB tables: a
// backup survives a restart with its size, half-written and half-deleted
// ones are cleared at start-up, anything else is left alone, and a backup a
// restore holds cannot be deleted.
#include "storage/backup_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <chrono>
#include <iterator>
#include <fstream>
#include <thread>

#include "catalog_test_util.h"
#include "common/api_error.h"
#include "storage/table_dir.h"
#include "table_test_peer.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;

class BackupStoreTest : public CatalogTest {
 protected:
  Backup backup_of(const std::string& table_name) {
    auto table = create(table_name);
    host::WriteBatch batch;
    batch.put(TableTestPeer::items(*table), "key", "value");
    TableTestPeer::write(*table, batch);
    return catalog_->backups().create(*table, "nightly", Table::Stats{});
  }
  fs::path backups() const { return path("backups"); }
};

TEST_F(BackupStoreTest, SurvivesRestartWithItsRecord) {
  Backup b = backup_of("t1");
  EXPECT_TRUE(is_backup_id(b.id));
  EXPECT_GT(b.size_bytes, 0u);
  EXPECT_EQ(b.table.name, "t1");
  EXPECT_FALSE(has_marker((backups() / b.id).string(), kCreatingMarker));
  restart();
  auto found = catalog_->backups().find(b.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "nightly");
  EXPECT_EQ(found->size_bytes, b.size_bytes);
  EXPECT_EQ(found->created_ms, b.created_ms);
  EXPECT_EQ(found->table.id, b.table.id);
  ASSERT_EQ(catalog_->backups().list().size(), 1u);
}

TEST_F(BackupStoreTest, StartUpClearsUnfinishedAndLeavesTheUnknownAlone) {
  Backup kept = backup_of("t1");
  // Half written (marked, or without its record) and half deleted.
  const fs::path creating = backups() / "01700000000000-00000001";
  const fs::path unrecorded = backups() / "01700000000000-00000002";
  const fs::path deleting = backups() / "01700000000000-00000003";
  for (const auto& dir : {creating, unrecorded}) fs::create_directories(dir / "data");
  write_marker(creating.string(), kCreatingMarker);
  fs::copy(backups() / kept.id, deleting, fs::copy_options::recursive);
  write_marker(deleting.string(), kDeletingMarker);
  // Not ours, and ours with a record that cannot be read.
  const fs::path stranger = backups() / "notes";
  fs::create_directories(stranger);
  const fs::path corrupt = backups() / "01700000000000-00000004";
  fs::copy(backups() / kept.id, corrupt, fs::copy_options::recursive);
  std::ofstream(corrupt / "backup.json") << "{not json";
  const fs::path scratch = backups() / "restore-abc";
  fs::create_directories(scratch);
  restart();
  EXPECT_FALSE(fs::exists(creating));
  EXPECT_FALSE(fs::exists(unrecorded));
  EXPECT_FALSE(fs::exists(deleting));
  EXPECT_FALSE(fs::exists(scratch));
  EXPECT_TRUE(fs::exists(stranger));
  EXPECT_TRUE(fs::exists(corrupt));
  ASSERT_EQ(catalog_->backups().list().size(), 1u);
  EXPECT_EQ(catalog_->backups().list()[0].id, kept.id);
}

TEST_F(BackupStoreTest, AHeldBackupIsNotDeleted) {
  Backup b = backup_of("t1");
  auto held = catalog_->backups().hold(b.id);
  ASSERT_TRUE(held);
  try {
    catalog_->backups().remove(b.id);
    FAIL() << "removed a held backup";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "BackupInUseException");
  }
  held.reset();
  ASSERT_TRUE(catalog_->backups().remove(b.id));
  EXPECT_FALSE(fs::exists(backups() / b.id));
  EXPECT_FALSE(catalog_->backups().remove(b.id));
  EXPECT_FALSE(catalog_->backups().hold(b.id));
}

TEST_F(BackupStoreTest, RestoreBuildsTheTableInTheBackground) {
  Backup b = backup_of("t1");
  TableSchema target = b.table;
  target.name = "t2";
  target.restore = RestoreSummary{"arn", "source", 1.0, true};
  TableSchema started = catalog_->restore(target, catalog_->backups().hold(b.id));
  EXPECT_NE(started.id, b.table.id);
  std::shared_ptr<Table> table;
  for (int i = 0; i < 2000 && !table; ++i) {
    table = catalog_->find("t2");
    if (!table) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(table);
  EXPECT_FALSE(catalog_->restoring("t2"));
  std::string value;
  EXPECT_TRUE(table->get_stored("key", &value));
  EXPECT_EQ(value, "value");
  ASSERT_TRUE(table->schema().restore);
  EXPECT_FALSE(table->schema().restore->in_progress);
  table.reset();
  restart();
  ASSERT_TRUE(catalog_->find("t2"));
  EXPECT_EQ(catalog_->find("t2")->schema().restore->source_backup_arn, "arn");
}

// A stop while the table is built (the catalog closing) leaves the table
// whole or gone, at once and after the next start.
TEST_F(BackupStoreTest, AStopDuringARestoreLeavesNoHalfTable) {
  Backup b = backup_of("t1");
  for (int round = 0; round < 5; ++round) {
    TableSchema target = b.table;
    target.name = "t" + std::to_string(round + 2);
    target.restore = RestoreSummary{"arn", "source", 1.0, true};
    catalog_->restore(target, catalog_->backups().hold(b.id));
    restart();  // joins the restore, stopped or finished
    auto table = catalog_->find(target.name);
    EXPECT_FALSE(catalog_->restoring(target.name));
    if (table) {
      std::string value;
      EXPECT_TRUE(table->get_stored("key", &value));
    } else {
      EXPECT_FALSE(fs::exists(table_dir(target.name)));
    }
    // No scratch copy is left beside the backup.
    EXPECT_EQ(std::distance(fs::directory_iterator(backups()), fs::directory_iterator()), 1);
  }
  // The backup outlives every restore, stopped or not, and can go now.
  EXPECT_TRUE(catalog_->backups().remove(b.id));
}

}  // namespace
}  // namespace jormun::storage
