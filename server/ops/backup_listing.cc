#include "ops/backup_listing.h"

#include "ops/params.h"
#include "ops/resource_arn.h"

namespace jormun::ops {

std::string backup_arn(std::string_view region, std::string_view table, std::string_view id) {
  return "arn:aws:dynamodb:" + std::string(region) + ":" + std::string(kAccountId) +
         ":table/" + std::string(table) + "/backup/" + std::string(id);
}

std::optional<BackupArnParts> parse_backup_arn(std::string_view arn, std::string_view region) {
  const std::string prefix = "arn:aws:dynamodb:" + std::string(region) + ":" +
                             std::string(kAccountId) + ":table/";
  if (!arn.starts_with(prefix)) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  const size_t slash = rest.find("/backup/");
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view table = rest.substr(0, slash);
  std::string_view id = rest.substr(slash + 8);
  if (!is_table_name(table) || !storage::is_backup_id(id)) return std::nullopt;
  return BackupArnParts{std::string(table), std::string(id)};
}

BackupPage select_backups(const std::vector<storage::Backup>& all, const BackupFilter& filter) {
  BackupPage page;
  if (filter.type != "USER" && filter.type != "ALL") return page;
  for (const auto& b : all) {
    if (filter.after && b.id <= *filter.after) continue;
    if (filter.table && b.table.name != *filter.table) continue;
    const double seconds = static_cast<double>(b.created_ms) / 1000.0;
    if (filter.from && seconds < *filter.from) continue;
    if (filter.to && seconds >= *filter.to) continue;
    if (page.backups.size() == filter.limit) {
      page.last = page.backups.back().id;
      break;
    }
    page.backups.push_back(b);
  }
  return page;
}

}  // namespace jormun::ops
