// Per-key permissions (auth.keys[].actions and .tables), answered as
// DynamoDB answers a request its IAM policy does not allow.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "config/auth_config.h"

namespace jormun::api {

// Throws AccessDeniedException unless `key` may run `operation` and every
// table `request` names (TableName, the tables of RequestItems and of
// TransactItems, the table of a ResourceArn, StreamArn or BackupArn, a
// restore's TargetTableName, the tables of
// PartiQL statements) matches one of its table globs. ListTables names no table: its action suffices.
void check_permission(const config::AccessKey& key, std::string_view operation,
                      const rapidjson::Value& request, std::string_view region);

}  // namespace jormun::api
