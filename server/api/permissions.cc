#include "api/permissions.h"

#include <fnmatch.h>

#include <string>

#include "common/api_error.h"
#include "ops/resource_arn.h"
#include "ops/table_description.h"
#include "partiql/parser.h"

namespace jormun::api {
namespace {

bool matches_any(const std::vector<std::string>& globs, std::string_view name,
                 std::string_view strip_prefix = {}) {
  const std::string text(name);
  for (std::string_view glob : globs) {
    if (!strip_prefix.empty() && glob.starts_with(strip_prefix))
      glob.remove_prefix(strip_prefix.size());
    if (fnmatch(std::string(glob).c_str(), text.c_str(), 0) == 0) return true;
  }
  return false;
}

[[noreturn]] void deny(const config::AccessKey& key, std::string_view operation,
                       const std::string& resource) {
  const std::string action = "dynamodb:" + std::string(operation);
  throw ApiError(
      "AccessDeniedException",
      "User: arn:aws:iam::000000000000:user/" + key.id +
          " is not authorized to perform: " + action + " on resource: " + resource +
          " because no identity-based policy allows the " + action + " action");
}

}  // namespace

void check_permission(const config::AccessKey& key, std::string_view operation,
                      const rapidjson::Value& request, std::string_view region) {
  auto check_table = [&](std::string_view table) {
    if (!matches_any(key.tables, table))
      deny(key, operation, ops::table_arn(region, table));
  };
  const bool action_allowed = matches_any(key.actions, operation, "dynamodb:");
  if (!request.IsObject()) {
    if (!action_allowed) deny(key, operation, "*");
    return;
  }
  auto name = request.FindMember("TableName");
  auto items = request.FindMember("RequestItems");
  const bool names_table = name != request.MemberEnd() && name->value.IsString();
  const bool names_items = items != request.MemberEnd() && items->value.IsObject();
  // The tag and backup operations name their table by ARN (a backup's ARN
  // starts with its table's); a denial names the ARN as given.
  auto arn_member = request.FindMember("ResourceArn");
  if (arn_member == request.MemberEnd()) arn_member = request.FindMember("BackupArn");
  const bool names_arn =
      arn_member != request.MemberEnd() && arn_member->value.IsString();
  const std::string arn = names_arn ? std::string(arn_member->value.GetString(),
                                                  arn_member->value.GetStringLength())
                                    : std::string();
  if (!action_allowed) {
    if (names_arn) deny(key, operation, arn);
    if (names_table)
      deny(key, operation,
           ops::table_arn(region,
                          {name->value.GetString(), name->value.GetStringLength()}));
    if (names_items && items->value.MemberCount() > 0) {
      const auto& first = items->value.MemberBegin()->name;
      deny(key, operation,
           ops::table_arn(region, {first.GetString(), first.GetStringLength()}));
    }
    deny(key, operation, "*");
  }
  if (names_table) check_table({name->value.GetString(), name->value.GetStringLength()});
  // RestoreTableFromBackup's new table.
  if (auto target = request.FindMember("TargetTableName");
      target != request.MemberEnd() && target->value.IsString())
    check_table({target->value.GetString(), target->value.GetStringLength()});
  if (names_items)
    for (const auto& m : items->value.GetObject())
      check_table({m.name.GetString(), m.name.GetStringLength()});
  // PartiQL names its tables inside its statements.
  auto check_statement = [&](const rapidjson::Value& text) {
    if (!text.IsString()) return;
    if (auto table = partiql::statement_table({text.GetString(), text.GetStringLength()}))
      check_table(*table);
  };
  if (auto it = request.FindMember("Statement"); it != request.MemberEnd())
    check_statement(it->value);
  for (const char* list : {"Statements", "TransactStatements"}) {
    auto it = request.FindMember(list);
    if (it == request.MemberEnd() || !it->value.IsArray()) continue;
    for (const auto& s : it->value.GetArray())
      if (s.IsObject())
        if (auto text = s.FindMember("Statement"); text != s.MemberEnd())
          check_statement(text->value);
  }
  // An ARN naming no table is left to the operation, which refuses it.
  if (auto table = names_arn ? ops::arn_table_name(arn) : std::nullopt)
    if (!matches_any(key.tables, *table)) deny(key, operation, arn);
}

}  // namespace jormun::api
