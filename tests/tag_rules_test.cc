// DynamoDB's tag rules (ops/tag_rules.h) and the ResourceArn checks
// (ops/resource_arn.h), apart from any table.
#include "ops/tag_rules.h"

#include <gtest/gtest.h>

#include <functional>

#include "common/api_error.h"
#include "ops/resource_arn.h"

namespace jormun::ops {
namespace {

// "Type: message" of what `f` throws, or "" when it throws nothing.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.type() + ": " + e.message();
  }
  return "";
}

std::string tags_error(std::vector<TagInput> tags) {
  return error_of([&] { check_tags(tags); });
}

TEST(TagRules, CharacterSet) {
  EXPECT_TRUE(valid_tag_text("a+b-c=d.e_f:g/h@i 09", 1, 128));
  EXPECT_TRUE(valid_tag_text("ключ café 表", 1, 128));
  EXPECT_TRUE(
      valid_tag_text("a\u00a0b\u3000c", 1, 128));  // no-break and ideographic spaces
  for (const char* bad : {"hi!", "d%g", "\"q\"", "a,b", "a&b", "a*b", "a;b", "a?b", "a|b",
                          "a\\b", "<a>", "~a", "#", "\U0001F511"})
    EXPECT_FALSE(valid_tag_text(bad, 1, 128)) << bad;
}

TEST(TagRules, LengthsCountCharactersNotBytes) {
  EXPECT_TRUE(valid_tag_text(std::string(128, 'x'), 1, 128));
  EXPECT_FALSE(valid_tag_text(std::string(129, 'x'), 1, 128));
  std::string hebrew;
  for (int i = 0; i < 128; ++i) hebrew += "\u05d0";  // two bytes each
  EXPECT_TRUE(valid_tag_text(hebrew, 1, 128));
  EXPECT_FALSE(valid_tag_text("", 1, 128));
  EXPECT_TRUE(valid_tag_text("", 0, 256));
}

TEST(TagRules, ChecksEachTagInOrder) {
  EXPECT_EQ(tags_error({{"k", "v"}, {"", "v"}}),
            "ValidationException: The Tag Key provided is invalid, Key: ");
  EXPECT_EQ(tags_error({{std::nullopt, "v"}}),
            "ValidationException: The Tag Key provided is invalid, Key: null");
  EXPECT_EQ(tags_error({{std::string(129, 'k'), "v"}}),
            "ValidationException: The Tag Key provided is invalid, Key: " +
                std::string(129, 'k'));
  EXPECT_EQ(tags_error({{"k", std::nullopt}}),
            "ValidationException: The Tag Value provided is invalid, Value: null");
  EXPECT_EQ(tags_error({{"k", std::string(257, 'v')}}),
            "ValidationException: The Tag Value provided is invalid, Value: " +
                std::string(257, 'v'));
  EXPECT_EQ(tags_error({{"k", "a%"}}),
            "ValidationException: The Tag Value provided is invalid, Value: a%");
  EXPECT_EQ(tags_error({{"aws:zzz", "v"}}),
            "ValidationException: Tag Key cannot be prefixed with aws:, Key: aws:zzz");
  EXPECT_EQ(
      tags_error({{"dup", "1"}, {"dup", "2"}}),
      "ValidationException: Duplicate Tag Keys provided as input: Duplicate Tag Key "
      "found dup");
  EXPECT_EQ(tags_error({{"k", ""}, {std::string(128, 'k'), std::string(256, 'v')}}), "");
}

TEST(TagRules, MergeUpsertsAndLimitsTheResult) {
  std::vector<storage::Tag> tags =
      merge_tags({{"a", "1"}, {"b", "2"}}, {{"b", "3"}, {"c", "4"}});
  EXPECT_EQ(tags, (std::vector<storage::Tag>{{"a", "1"}, {"b", "3"}, {"c", "4"}}));
  std::vector<storage::Tag> fifty;
  for (int i = 0; i < 50; ++i) fifty.push_back({std::to_string(i), ""});
  EXPECT_EQ(merge_tags(fifty, {{"7", "x"}}).size(), 50u);  // an upsert adds nothing
  EXPECT_EQ(
      error_of([&] {
        merge_tags(fifty, {{"new", "x"}});
      }),
      "ValidationException: Number of Tags exceed the current limit for the provided "
      "ResourceArn");
}

TEST(TagRules, RemoveIgnoresAbsentKeys) {
  EXPECT_EQ(remove_tags({{"a", "1"}, {"b", "2"}}, {"b", "zzz"}),
            (std::vector<storage::Tag>{{"a", "1"}}));
}

TEST(TagRules, TagKeys) {
  std::vector<std::optional<std::string>> keys(51, std::string("k"));
  EXPECT_EQ(
      error_of([&] { check_tag_keys(keys); }),
      "ValidationException: Number of Tags exceed the current limit for the provided "
      "ResourceArn");
  EXPECT_EQ(error_of([] {
              check_tag_keys({std::string("ok"), std::string("")});
            }),
            "ValidationException: The Tag Key provided is invalid, Key: ");
}

TEST(TagRules, PagesFollowTheirTokens) {
  std::vector<storage::Tag> tags{{"a", ""}, {"b", ""}, {"c", ""}};
  TagPage first = page_tags(tags, std::nullopt, 2);
  ASSERT_EQ(first.tags.size(), 2u);
  ASSERT_TRUE(first.next_token);
  TagPage second = page_tags(tags, *first.next_token, 2);
  EXPECT_EQ(second.tags, (std::vector<storage::Tag>{{"c", ""}}));
  EXPECT_FALSE(second.next_token);
  EXPECT_FALSE(page_tags(tags, std::nullopt).next_token);  // one page holds them all
  EXPECT_EQ(error_of([&] { page_tags(tags, "x"); }),
            "ValidationException: Invalid NextToken: x");
  EXPECT_EQ(error_of([&] { page_tags(tags, "4"); }),
            "ValidationException: Invalid NextToken: 4");
}

TEST(ResourceArn, NamesATableOfThisRegionAndAccount) {
  EXPECT_EQ(table_of_resource_arn("arn:aws:dynamodb:us-east-1:000000000000:table/my.t-1",
                                  "us-east-1"),
            "my.t-1");
  auto error = [](std::string_view arn) {
    return error_of([&] { table_of_resource_arn(arn, "us-east-1"); });
  };
  EXPECT_EQ(
      error("I_do_not_exist"),
      "ValidationException: One or more parameter values were invalid: ARNs must start "
      "with 'arn:': I_do_not_exist");
  EXPECT_EQ(
      error("arn:aws:s3:::bucket"),
      "ValidationException: One or more parameter values were invalid: Provided Arn is "
      "not a DynamoDB resource arn: arn:aws:s3:::bucket");
  EXPECT_EQ(
      error("arn:aws:dynamodb:eu-west-1:000000000000:table/t12"),
      "ValidationException: Invalid TableArn: Invalid ResourceArn provided as input "
      "arn:aws:dynamodb:eu-west-1:000000000000:table/t12");
  EXPECT_EQ(
      error("arn:aws:dynamodb:us-east-1:000000000000:table/t12/index/g"),
      "ValidationException: One or more parameter values were invalid: Invalid "
      "resource arn provided, only table or stream is accepted. Provided resource arn: "
      "arn:aws:dynamodb:us-east-1:000000000000:table/t12/index/g");
  EXPECT_EQ(
      error("arn:aws:dynamodb:us-east-1:000000000000:table/ab"),
      "ValidationException: Invalid TableArn: Invalid ResourceArn provided as input "
      "arn:aws:dynamodb:us-east-1:000000000000:table/ab");
  EXPECT_EQ(
      error("arn:aws:dynamodb:us-east-1"),
      "ValidationException: Invalid TableArn: Invalid ResourceArn provided as input "
      "arn:aws:dynamodb:us-east-1");
  EXPECT_EQ(error("arn:aws:dynamodb:us-east-1:123456789012:table/t12"),
            "ResourceNotFoundException: Requested resource not found: ResourceArn: "
            "arn:aws:dynamodb:us-east-1:123456789012:table/t12 not found");
}

TEST(ResourceArn, TableNameForPermissions) {
  EXPECT_EQ(arn_table_name("arn:aws:dynamodb:r:1:table/t/index/i"), "t");
  EXPECT_EQ(arn_table_name("arn:aws:dynamodb:r:1:table/t"), "t");
  EXPECT_FALSE(arn_table_name("garbage"));
}

}  // namespace
}  // namespace jormun::ops
