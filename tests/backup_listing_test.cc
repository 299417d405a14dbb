// Backup ARNs and ListBackups' paging and filters (ops/backup_listing.h),
// apart from any table.
#include "ops/backup_listing.h"

#include <gtest/gtest.h>

namespace jormun::ops {
namespace {

constexpr std::string_view kId = "01681997703770-aa93528e";

storage::Backup backup(const std::string& table, int64_t ms, const std::string& hex) {
  storage::Backup b;
  char id[32];
  std::snprintf(id, sizeof id, "%014lld-%s", static_cast<long long>(ms), hex.c_str());
  b.id = id;
  b.created_ms = ms;
  b.table.name = table;
  return b;
}

std::vector<std::string> ids(const BackupPage& page) {
  std::vector<std::string> out;
  for (const auto& b : page.backups) out.push_back(b.table.name + "@" + std::to_string(b.created_ms));
  return out;
}

TEST(BackupArn, RoundTrips) {
  const std::string arn = backup_arn("us-east-1", "Music", kId);
  EXPECT_EQ(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/Music/backup/"
                 "01681997703770-aa93528e");
  auto parts = parse_backup_arn(arn, "us-east-1");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->table, "Music");
  EXPECT_EQ(parts->id, kId);
}

TEST(BackupArn, RefusesOtherRegionsAccountsAndShapes) {
  const std::string ok = "arn:aws:dynamodb:us-east-1:000000000000:table/Music/backup/";
  EXPECT_FALSE(parse_backup_arn(ok + std::string(kId), "eu-west-1"));
  EXPECT_FALSE(parse_backup_arn(
      "arn:aws:dynamodb:us-east-1:123456789012:table/Music/backup/" + std::string(kId),
      "us-east-1"));
  EXPECT_FALSE(parse_backup_arn(ok + "1681997703770-aa93528e", "us-east-1"));   // 13 digits
  EXPECT_FALSE(parse_backup_arn(ok + "01681997703770-AA93528E", "us-east-1"));  // upper case
  EXPECT_FALSE(parse_backup_arn(ok + "01681997703770_aa93528e", "us-east-1"));
  EXPECT_FALSE(parse_backup_arn(ok + std::string(kId) + "/x", "us-east-1"));
  EXPECT_FALSE(parse_backup_arn(
      "arn:aws:dynamodb:us-east-1:000000000000:table/M!/backup/" + std::string(kId),
      "us-east-1"));
  EXPECT_FALSE(parse_backup_arn("arn:aws:dynamodb:us-east-1:000000000000:table/Music",
                                "us-east-1"));
  EXPECT_FALSE(parse_backup_arn("", "us-east-1"));
}

TEST(BackupIds, HaveTheirForm) {
  EXPECT_TRUE(storage::is_backup_id(kId));
  EXPECT_FALSE(storage::is_backup_id("restore-x"));
  EXPECT_FALSE(storage::is_backup_id("01681997703770-aa93528"));
}

const std::vector<storage::Backup> kAll = {
    backup("a", 1000, "00000001"), backup("b", 2000, "00000002"),
    backup("a", 3000, "00000003"), backup("a", 4000, "00000004"),
    backup("b", 5000, "00000005")};

TEST(ListBackups, FiltersByTableAndTimeRange) {
  BackupFilter f;
  f.table = "a";
  EXPECT_EQ(ids(select_backups(kAll, f)), (std::vector<std::string>{"a@1000", "a@3000", "a@4000"}));
  // The lower bound is inclusive, the upper one exclusive.
  f.from = 3.0;
  f.to = 4.0;
  EXPECT_EQ(ids(select_backups(kAll, f)), (std::vector<std::string>{"a@3000"}));
  f.table.reset();
  f.from = 1.5;
  f.to.reset();
  EXPECT_EQ(select_backups(kAll, f).backups.size(), 4u);
}

TEST(ListBackups, OnlyUserBackupsExist) {
  BackupFilter f;
  for (const char* type : {"USER", "ALL"}) {
    f.type = type;
    EXPECT_EQ(select_backups(kAll, f).backups.size(), 5u) << type;
  }
  for (const char* type : {"SYSTEM", "AWS_BACKUP"}) {
    f.type = type;
    EXPECT_TRUE(select_backups(kAll, f).backups.empty()) << type;
  }
}

TEST(ListBackups, PagesContinueAfterTheLastEvaluated) {
  BackupFilter f;
  f.limit = 2;
  BackupPage first = select_backups(kAll, f);
  EXPECT_EQ(ids(first), (std::vector<std::string>{"a@1000", "b@2000"}));
  ASSERT_TRUE(first.last);
  f.after = *first.last;
  BackupPage second = select_backups(kAll, f);
  EXPECT_EQ(ids(second), (std::vector<std::string>{"a@3000", "a@4000"}));
  f.after = *second.last;
  BackupPage third = select_backups(kAll, f);
  EXPECT_EQ(ids(third), (std::vector<std::string>{"b@5000"}));
  EXPECT_FALSE(third.last);  // nothing more: no LastEvaluatedBackupArn
  // A page that ends exactly at the last match says nothing more either.
  f.after.reset();
  f.limit = 5;
  EXPECT_FALSE(select_backups(kAll, f).last);
  // With a filter, the page counts matches only.
  f.table = "b";
  f.limit = 1;
  BackupPage b = select_backups(kAll, f);
  EXPECT_EQ(ids(b), (std::vector<std::string>{"b@2000"}));
  ASSERT_TRUE(b.last);
  f.after = *b.last;
  EXPECT_EQ(ids(select_backups(kAll, f)), (std::vector<std::string>{"b@5000"}));
}

}  // namespace
}  // namespace jormun::ops
