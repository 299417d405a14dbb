#include "api/permissions.h"

#include <fnmatch.h>

#include <string>
#include <vector>

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

// A table the request names, and the resource a denial names for it.
struct NamedTable {
  std::string table;
  std::string resource;
};

std::string_view text_of(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// Every table `request` names, in the order a denial looks for one: ARNs
// first (named as given), then table names.
std::vector<NamedTable> named_tables(const rapidjson::Value& request,
                                     std::string_view region) {
  std::vector<NamedTable> out;
  auto add_name = [&](const rapidjson::Value& v) {
    if (v.IsString()) out.push_back({std::string(text_of(v)), ops::table_arn(region, text_of(v))});
  };
  auto member = [&](const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
  };
  // The tag operations, the Streams API and the backup operations name
  // their table by ARN (a backup's ARN starts with its table's). An ARN
  // naming no table is left to the operation, which refuses it.
  for (const char* arn_member : {"ResourceArn", "StreamArn", "BackupArn"})
    if (const auto* arn = member(request, arn_member); arn && arn->IsString())
      if (auto table = ops::arn_table_name(text_of(*arn)))
        out.push_back({std::string(*table), std::string(text_of(*arn))});
  if (const auto* name = member(request, "TableName")) add_name(*name);
  // RestoreTableFromBackup's new table.
  if (const auto* name = member(request, "TargetTableName")) add_name(*name);
  if (const auto* items = member(request, "RequestItems"); items && items->IsObject())
    for (const auto& m : items->GetObject()) add_name(m.name);
  if (const auto* items = member(request, "TransactItems"); items && items->IsArray())
    for (const auto& item : items->GetArray()) {
      if (!item.IsObject()) continue;
      for (const auto& action : item.GetObject())
        if (action.value.IsObject())
          if (const auto* name = member(action.value, "TableName")) add_name(*name);
    }
  // PartiQL names its tables inside its statements.
  auto add_statement = [&](const rapidjson::Value& text) {
    if (!text.IsString()) return;
    if (auto table = partiql::statement_table(text_of(text)))
      out.push_back({*table, ops::table_arn(region, *table)});
  };
  if (const auto* statement = member(request, "Statement")) add_statement(*statement);
  for (const char* list : {"Statements", "TransactStatements"})
    if (const auto* statements = member(request, list); statements && statements->IsArray())
      for (const auto& s : statements->GetArray())
        if (s.IsObject())
          if (const auto* text = member(s, "Statement")) add_statement(*text);
  return out;
}

}  // namespace

void check_permission(const config::AccessKey& key, std::string_view operation,
                      const rapidjson::Value& request, std::string_view region) {
  const std::vector<NamedTable> tables =
      request.IsObject() ? named_tables(request, region) : std::vector<NamedTable>{};
  if (!matches_any(key.actions, operation, "dynamodb:"))
    deny(key, operation, tables.empty() ? "*" : tables.front().resource);
  for (const auto& named : tables)
    if (!matches_any(key.tables, named.table)) deny(key, operation, named.resource);
}

}  // namespace jormun::api
