// The ResourceArn of the tag operations: which table it names, checked in
// the order and with the texts DynamoDB answers (docs/tags.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jormun::ops {

// The account in every ARN this server hands out (table_arn).
inline constexpr std::string_view kAccountId = "000000000000";

// The table name of a table ARN of this server's region and account
// (arn:aws:dynamodb:<region>:000000000000:table/<name>). Throws
// ValidationException for a malformed ARN, one of another service, region or
// resource type, or an invalid table name; ResourceNotFoundException for
// another account, whose tables this server cannot have.
std::string table_of_resource_arn(std::string_view arn, std::string_view region);

// A TableName member that may also be a table ARN (CreateBackup,
// ListBackups, the continuous backups operations): the name, or the table
// an ARN names (table_of_resource_arn's checks).
std::string table_name_or_arn(std::string_view name_or_arn, std::string_view region);

// The table name in any ARN of the form ...:table/<name>[/...], without
// checks: what the permissions layer matches a key's table globs against.
std::optional<std::string_view> arn_table_name(std::string_view arn);

// DynamoDB's answer to a well-formed table ARN whose table does not exist.
[[noreturn]] void resource_arn_not_found(std::string_view arn);

}  // namespace jormun::ops
