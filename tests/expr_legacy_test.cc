#include <gtest/gtest.h>

#include "expr/evaluator.h"
#include "expr/legacy.h"
#include "expr/projection.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::error_of;
using test_util::item;
using test_util::to_json;
using test_util::value;

const model::Item kItem =
    item(R"({"a":{"N":"5"},"s":{"S":"hello"},"t":{"SS":["x","y"]}})");

bool matches(const LegacyFilter& filter,
             ConditionalOperator op = ConditionalOperator::kAnd) {
  return evaluate(*condition_from_filter(filter, op), &kItem);
}

LegacyCondition cond(ComparisonOperator op,
                     std::vector<model::AttributeValue> values = {}) {
  return LegacyCondition{op, std::move(values)};
}

TEST(LegacyFilter, OperatorsEvaluateLikeExpressions) {
  using enum ComparisonOperator;
  EXPECT_TRUE(matches({{"a", cond(kEq, {value(R"({"N":"5.0"})")})}}));
  EXPECT_TRUE(matches({{"zz", cond(kNe, {value(R"({"N":"5"})")})}}));
  EXPECT_TRUE(
      matches({{"a", cond(kBetween, {value(R"({"N":"1"})"), value(R"({"N":"5"})")})}}));
  EXPECT_TRUE(
      matches({{"a", cond(kIn, {value(R"({"N":"1"})"), value(R"({"N":"5"})")})}}));
  EXPECT_TRUE(matches({{"s", cond(kBeginsWith, {value(R"({"S":"he"})")})}}));
  EXPECT_TRUE(matches({{"t", cond(kContains, {value(R"({"S":"x"})")})}}));
  EXPECT_TRUE(matches({{"t", cond(kNotContains, {value(R"({"S":"z"})")})}}));
  EXPECT_FALSE(matches({{"zz", cond(kNotContains, {value(R"({"S":"z"})")})}}));
  EXPECT_TRUE(matches({{"zz", cond(kNull)}, {"a", cond(kNotNull)}}));
  EXPECT_FALSE(matches({{"zz", cond(kNotNull)}, {"a", cond(kNotNull)}}));
  EXPECT_TRUE(
      matches({{"zz", cond(kNotNull)}, {"a", cond(kNotNull)}}, ConditionalOperator::kOr));
  EXPECT_FALSE(condition_from_filter({}, ConditionalOperator::kAnd));
}

TEST(LegacyFilter, Validation) {
  using enum ComparisonOperator;
  auto err = [](LegacyCondition c) {
    return error_of([&] {
      condition_from_filter({{"a", c}}, ConditionalOperator::kAnd);
    });
  };
  EXPECT_EQ(
      err(cond(kEq)),
      "One or more parameter values were invalid: Invalid number of argument(s) for the "
      "EQ ComparisonOperator");
  EXPECT_EQ(
      err(cond(kNull, {value(R"({"S":"a"})")})),
      "One or more parameter values were invalid: Invalid number of argument(s) for the "
      "NULL ComparisonOperator");
  EXPECT_EQ(
      err(cond(kLt, {value(R"({"BOOL":true})")})),
      "One or more parameter values were invalid: ComparisonOperator LT is not valid for "
      "BOOL AttributeValue type");
  EXPECT_EQ(
      err(cond(kContains, {value(R"({"SS":["a"]})")})),
      "One or more parameter values were invalid: ComparisonOperator CONTAINS is not "
      "valid for SS AttributeValue type");
  EXPECT_EQ(
      err(cond(kBeginsWith, {value(R"({"N":"1"})")})),
      "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not "
      "valid for N AttributeValue type");
  EXPECT_EQ(err(cond(kIn, {value(R"({"S":"b"})"), value(R"({"N":"1"})")})),
            "One or more parameter values were invalid: AttributeValues inside "
            "AttributeValueList must be of same type");
  EXPECT_EQ(
      err(cond(kBetween, {value(R"({"S":"b"})"), value(R"({"S":"a"})")})),
      "The BETWEEN condition was provided a range where the lower bound is greater than "
      "the upper bound");
}

TEST(LegacyExpected, ValueAndExistsForms) {
  Expected expected;
  expected.push_back(
      {"a", ExpectedEntry{std::nullopt, {}, value(R"({"N":"5"})"), std::nullopt}});
  expected.push_back({"zz", ExpectedEntry{std::nullopt, {}, std::nullopt, false}});
  EXPECT_TRUE(
      evaluate(*condition_from_expected(expected, ConditionalOperator::kAnd), &kItem));

  Expected bad = {{"a", ExpectedEntry{std::nullopt, {}, std::nullopt, true}}};
  EXPECT_EQ(
      error_of([&] { condition_from_expected(bad, ConditionalOperator::kAnd); }),
      "One or more parameter values were invalid: Value must be provided when Exists is "
      "true for Attribute: a");
  bad = {{"a", ExpectedEntry{ComparisonOperator::kNull, {}, std::nullopt, true}}};
  EXPECT_EQ(
      error_of([&] { condition_from_expected(bad, ConditionalOperator::kAnd); }),
      "One or more parameter values were invalid: Exists and ComparisonOperator cannot "
      "be used together for Attribute: a");
}

// Expected's members are checked in DynamoDB's order; each message names the
// attribute.
TEST(LegacyExpected, ValidationInDynamoDBsOrder) {
  using enum ComparisonOperator;
  const model::AttributeValue v = value(R"({"N":"5"})");
  auto error = [](ExpectedEntry e) {
    return error_of([&] {
      condition_from_expected({{"a", e}}, ConditionalOperator::kAnd);
    });
  };
  const std::string invalid = "One or more parameter values were invalid: ";
  EXPECT_EQ(error({}),
            invalid + "Value must be provided when Exists is null for Attribute: a");
  EXPECT_EQ(error({std::nullopt, std::vector{v}, std::nullopt, std::nullopt}),
            invalid +
                "AttributeValueList can only be used with a ComparisonOperator for "
                "Attribute: a");
  EXPECT_EQ(
      error({std::nullopt, std::vector<model::AttributeValue>{}, std::nullopt, false}),
      invalid +
          "AttributeValueList can only be used with a ComparisonOperator for "
          "Attribute: a");
  EXPECT_EQ(error({kEq, std::nullopt, std::nullopt, std::nullopt}),
            invalid +
                "Value or AttributeValueList must be used with ComparisonOperator: EQ "
                "for Attribute: a");
  EXPECT_EQ(
      error({kEq, std::vector{v}, v, std::nullopt}),
      invalid + "Value and AttributeValueList cannot be used together for Attribute: a");
  EXPECT_EQ(
      error({kEq, std::vector{v}, v, true}),
      invalid + "Exists and ComparisonOperator cannot be used together for Attribute: a");
  EXPECT_EQ(error({std::nullopt, std::nullopt, v, false}),
            invalid + "Value cannot be used when Exists is false for Attribute: a");
  // An empty AttributeValueList is present, and then has too few values.
  EXPECT_EQ(
      error({kEq, std::vector<model::AttributeValue>{}, std::nullopt, std::nullopt}),
      invalid + "Invalid number of argument(s) for the EQ ComparisonOperator");
  // Value serves as the one argument of a ComparisonOperator.
  EXPECT_EQ(error({kGt, std::nullopt, value(R"({"N":"4"})"), std::nullopt}), "");
  EXPECT_TRUE(
      evaluate(*condition_from_expected(
                   {{"a", {kGt, std::nullopt, value(R"({"N":"4"})"), std::nullopt}},
                    {"b", {kNull, std::nullopt, std::nullopt, std::nullopt}}},
                   ConditionalOperator::kAnd),
               &kItem));
}

TEST(LegacyConditionalOperator, NeedsTwoOrMoreConditions) {
  EXPECT_EQ(error_of([] { check_conditional_operator(0); }),
            "ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_EQ(
      error_of([] { check_conditional_operator(1); }),
      "ConditionalOperator can only be used when Filter or Expected has two or more "
      "elements");
  EXPECT_EQ(error_of([] { check_conditional_operator(2); }), "");
}

TEST(LegacyKeyConditions, ToKeyCondition) {
  using enum ComparisonOperator;
  const KeySchema schema{"pk", model::Type::S, "sk", model::Type::N, {}, {}};
  KeyCondition kc =
      key_condition_from_legacy({{"pk", cond(kEq, {value(R"({"S":"p"})")})},
                                 {"sk", cond(kGe, {value(R"({"N":"3"})")})}},
                                schema);
  ASSERT_TRUE(kc.sort);
  EXPECT_EQ(kc.sort->op, SortKeyCondition::Op::kGe);
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(
                  {{"pk", cond(kEq, {value(R"({"S":"p"})")})}, {"sk", cond(kNotNull)}},
                  schema);
            }),
            "Attempted conditional constraint is not an indexable operation");
  // The partition key is judged first, in full: missing, then its operator.
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy({{"sk", cond(kNull)}}, schema);
            }),
            "Query condition missed key schema element: pk");
  EXPECT_EQ(
      error_of([&] {
        key_condition_from_legacy(
            {{"pk", cond(kEq, {value(R"({"N":"1"})")})}, {"sk", cond(kNull)}}, schema);
      }),
      "One or more parameter values were invalid: Condition parameter type does not "
      "match schema type");
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(
                  {{"pk", cond(kEq, {value(R"({"S":"p"})")})}, {"x", cond(kNull)}},
                  schema);
            }),
            "Query condition missed key schema element: sk");
  const KeySchema hash_only{"pk", model::Type::S, std::nullopt, model::Type::S, {}, {}};
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(
                  {{"pk", cond(kEq, {value(R"({"S":"p"})")})}, {"x", cond(kNull)}},
                  hash_only);
            }),
            "Query key condition not supported");
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(
                  {{"pk", cond(kContains, {value(R"({"S":"p"})")})}}, hash_only);
            }),
            "Attempted conditional constraint is not an indexable operation");
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(
                  {{"pk", cond(kNull)}, {"sk", cond(kNull)}, {"x", cond(kNull)}}, schema);
            }),
            "Conditions can be of length 1 or 2 only");
}

TEST(LegacyAttributesToGet, ProjectionAndDuplicates) {
  EXPECT_EQ(to_json(project(kItem, projection_from_attributes_to_get({"s", "zz"}).paths)),
            R"({"s":{"S":"hello"}})");
  EXPECT_EQ(
      error_of([] {
        projection_from_attributes_to_get({"a", "b", "a"});
      }),
      "One or more parameter values were invalid: Duplicate value in attribute name: a");
}

TEST(LegacyMixing, ExpressionAndNonExpressionParameters) {
  EXPECT_EQ(
      error_of([] { check_not_mixed({"AttributesToGet"}, {"ProjectionExpression"}); }),
      "Can not use both expression and non-expression parameters in the same request: "
      "Non-expression parameters: {AttributesToGet} Expression parameters: "
      "{ProjectionExpression}");
  EXPECT_EQ(error_of([] { check_not_mixed({}, {"ProjectionExpression"}); }), "");
}

}  // namespace
}  // namespace jormun::expr
