#include "ops/resource_arn.h"

#include <array>

#include "common/api_error.h"
#include "ops/params.h"

namespace jormun::ops {
namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

}  // namespace

void resource_arn_not_found(std::string_view arn) {
  throw ApiError::resource_not_found(
      "Requested resource not found: ResourceArn: " + std::string(arn) + " not found");
}

std::string table_of_resource_arn(std::string_view arn, std::string_view region) {
  const std::string text(arn);
  if (!arn.starts_with("arn:"))
    throw ApiError::validation(kInvalid + "ARNs must start with 'arn:': " + text);
  // arn:partition:service:region:account:resource; the resource may hold ':'.
  std::array<std::string_view, 6> part;
  std::string_view rest = arn;
  for (size_t i = 0; i < 5; ++i) {
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos)
      throw ApiError::validation(
          "Invalid TableArn: Invalid ResourceArn provided as input " + text);
    part[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  part[5] = rest;
  if (part[2] != "dynamodb")
    throw ApiError::validation(kInvalid +
                               "Provided Arn is not a DynamoDB resource arn: " + text);
  if (part[1] != "aws" || part[3] != region)
    throw ApiError::validation(
        "Invalid TableArn: Invalid ResourceArn provided as input " + text);
  std::string_view resource = part[5];
  if (!resource.starts_with("table/") || resource.find('/', 6) != std::string_view::npos)
    throw ApiError::validation(
        kInvalid +
        "Invalid resource arn provided, only table or stream is accepted. Provided "
        "resource arn: " +
        text);
  std::string_view name = resource.substr(6);
  if (!is_table_name(name))
    throw ApiError::validation(
        "Invalid TableArn: Invalid ResourceArn provided as input " + text);
  if (part[4] != kAccountId) resource_arn_not_found(arn);
  return std::string(name);
}

std::optional<std::string_view> arn_table_name(std::string_view arn) {
  const size_t at = arn.find(":table/");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view name = arn.substr(at + 7);
  return name.substr(0, name.find('/'));
}

std::string table_name_or_arn(std::string_view name_or_arn, std::string_view region) {
  if (name_or_arn.starts_with("arn:")) return table_of_resource_arn(name_or_arn, region);
  return std::string(name_or_arn);
}

}  // namespace jormun::ops
