#include <gtest/gtest.h>

#include "expr/expressions.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::error_of;
using test_util::values;

TEST(PrepareExpressions, ResolvesNamesAndValuesAcrossExpressions) {
  AttributeNames names{{"#s", "status"}, {"#n", "name"}};
  AttributeValues vals = values(R"({":v":{"S":"on"},":w":{"N":"3"}})");
  RequestExpressions in;
  in.condition = "#s = :v";
  in.update = "SET hits = hits + :w";
  in.projection = "#n, #s";
  in.names = &names;
  in.values = &vals;
  PreparedExpressions ex = prepare_expressions(in);
  ASSERT_TRUE(ex.condition);
  EXPECT_EQ(ex.condition->operands[0].path.top(), "status");
  EXPECT_EQ(ex.condition->operands[1].value, test_util::value(R"({"S":"on"})"));
  ASSERT_TRUE(ex.projection);
  EXPECT_EQ(path_to_string(ex.projection->paths[0]), "[name]");
  EXPECT_FALSE(ex.filter);
}

TEST(PrepareExpressions, ParsesThroughTheCacheOnce) {
  ExpressionCache cache(8);
  AttributeValues vals = values(R"({":v":{"N":"1"}})");
  RequestExpressions in;
  in.condition = "a = :v";
  in.values = &vals;
  for (int i = 0; i < 3; ++i) prepare_expressions(in, cache);
  EXPECT_EQ(cache.size(), 1u);
  // The cached tree keeps its placeholders; each request resolves its own values.
  AttributeValues other = values(R"({":v":{"N":"2"}})");
  in.values = &other;
  EXPECT_EQ(prepare_expressions(in, cache).condition->operands[1].value,
            test_util::value(R"({"N":"2"})"));
}

TEST(PrepareExpressions, UndefinedPlaceholders) {
  AttributeValues vals = values(R"({":v":{"S":"x"}})");
  RequestExpressions in;
  in.condition = "#a = :v";
  in.values = &vals;
  EXPECT_EQ(
      error_of([&] { prepare_expressions(in); }),
      "Invalid ConditionExpression: An expression attribute name used in the document "
      "path is not defined; attribute name: #a");
  in.condition = "a = :w";
  EXPECT_EQ(
      error_of([&] { prepare_expressions(in); }),
      "Invalid ConditionExpression: An expression attribute value used in expression "
      "is not defined; attribute value: :w");
}

TEST(PrepareExpressions, UnusedNamesThenUnusedValues) {
  AttributeNames names{{"#a", "a"}, {"#b", "b"}, {"#c", "c"}};
  AttributeValues vals = values(R"({":v":{"S":"x"},":u":{"S":"y"}})");
  RequestExpressions in;
  in.condition = "#a = :v";
  in.names = &names;
  in.values = &vals;
  EXPECT_EQ(
      error_of([&] { prepare_expressions(in); }),
      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}");
  in.projection = "#b, #c";
  EXPECT_EQ(
      error_of([&] { prepare_expressions(in); }),
      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}");
  in.filter = "b = :u";
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }), "");
}

TEST(PrepareExpressions, MapsThemselves) {
  AttributeNames empty_names;
  AttributeValues empty_values;
  RequestExpressions in;
  in.condition = "a = b";
  in.names = &empty_names;
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }),
            "ExpressionAttributeNames must not be empty");
  in.names = nullptr;
  in.values = &empty_values;
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }),
            "ExpressionAttributeValues must not be empty");
  AttributeNames bad{{"a", "a"}};
  in.values = nullptr;
  in.names = &bad;
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
  AttributeValues bad_values = values(R"({"v":{"S":"x"}})");
  in.names = nullptr;
  in.values = &bad_values;
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");

  // At most 255 bytes per placeholder, checked before the syntax.
  const std::string longest = "#" + std::string(254, 'n');
  AttributeNames long_names{{longest, "a"}, {longest + "!", "b"}};
  const std::string condition = longest + " = b";
  in.condition = condition;
  in.values = nullptr;
  in.names = &long_names;
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }),
            "ExpressionAttributeNames contains invalid key: The expression attribute map "
            "contains a key that is too long; size of key: 256");
  long_names.erase(longest + "!");
  EXPECT_EQ(error_of([&] { prepare_expressions(in); }), "");
  AttributeValues long_values{
      {":" + std::string(300, 'v'), test_util::value(R"({"N":"1"})")}};
  in.names = nullptr;
  in.values = &long_values;
  EXPECT_EQ(
      error_of([&] { prepare_expressions(in); }),
      "ExpressionAttributeValues contains invalid key: The expression attribute map "
      "contains a key that is too long; size of key: 301");

  AttributeNames names{{"#a", "a"}};
  RequestExpressions no_expression;
  no_expression.names = &names;
  EXPECT_EQ(error_of([&] { prepare_expressions(no_expression); }),
            "ExpressionAttributeNames can only be specified when using expressions");
}

std::string condition_error(std::string_view condition, std::string_view vals_json) {
  AttributeValues vals = values(vals_json);
  RequestExpressions in;
  in.condition = condition;
  in.values = &vals;
  return error_of([&] { prepare_expressions(in); });
}

TEST(PrepareExpressions, OperandTypeChecks) {
  EXPECT_EQ(
      condition_error("begins_with(a, :v)", R"({":v":{"N":"1"}})"),
      "Invalid ConditionExpression: Incorrect operand type for operator or function; "
      "operator or function: begins_with, operand type: N");
  EXPECT_EQ(condition_error("attribute_type(a, :v)", R"({":v":{"S":"XS"}})"),
            "Invalid ConditionExpression: Invalid attribute type name found; type: XS, "
            "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(
      condition_error("attribute_type(a, :v)", R"({":v":{"N":"1"}})"),
      "Invalid ConditionExpression: Incorrect operand type for operator or function; "
      "operator or function: attribute_type, operand type: N");
  EXPECT_EQ(condition_error("attribute_exists(:v)", R"({":v":{"N":"1"}})"),
            "Invalid ConditionExpression: Operator or function requires a document path; "
            "operator or function: attribute_exists");
  EXPECT_EQ(
      condition_error("size(:v) > a", R"({":v":{"BOOL":true}})"),
      "Invalid ConditionExpression: Incorrect operand type for operator or function; "
      "operator or function: size, operand type: BOOL");
  EXPECT_EQ(
      condition_error("a < :v", R"({":v":{"L":[]}})"),
      "Invalid ConditionExpression: Incorrect operand type for operator or function; "
      "operator or function: <, operand type: L");
  EXPECT_EQ(condition_error("a = :v", R"({":v":{"L":[]}})"), "");
  EXPECT_EQ(
      condition_error("a.b = a.b", R"({":v":{"L":[]}})"),
      "Invalid ConditionExpression: The first operand must be distinct from the "
      "remaining operands for this operator or function; operator: =, first operand: "
      "[a, b]");
}

TEST(PrepareExpressions, BetweenBounds) {
  EXPECT_EQ(
      condition_error("a BETWEEN :hi AND :lo", R"({":lo":{"N":"1"},":hi":{"N":"10"}})"),
      "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be "
      "greater than or equal to lower bound; lower bound operand: AttributeValue: "
      "{N:10}, upper bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(
      condition_error("a BETWEEN :b AND :a", R"({":a":{"S":"a"},":b":{"N":"1"}})"),
      "Invalid ConditionExpression: The BETWEEN operator requires same data type for "
      "lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound "
      "operand: AttributeValue: {S:a}");
  EXPECT_EQ(
      condition_error("a BETWEEN :lo AND :hi", R"({":lo":{"N":"2"},":hi":{"N":"10"}})"),
      "");
}

std::string update_error(std::string_view update, std::string_view vals_json) {
  AttributeValues vals = values(vals_json);
  RequestExpressions in;
  in.update = update;
  in.values = &vals;
  return error_of([&] { prepare_expressions(in); });
}

TEST(PrepareExpressions, UpdatePathsMustNotOverlapOrConflict) {
  const char* v = R"({":v":{"S":"x"}})";
  EXPECT_EQ(
      update_error("SET a.b = :v REMOVE a.b.c", v),
      "Invalid UpdateExpression: Two document paths overlap with each other; must "
      "remove or rewrite one of these paths; path one: [a, b], path two: [a, b, c]");
  EXPECT_EQ(update_error("REMOVE a.b SET a[1] = :v", v),
            "Invalid UpdateExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]");
  EXPECT_EQ(update_error("SET a = :v, a = :v", v),
            "Invalid UpdateExpression: Two document paths overlap with each other; must "
            "remove or rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(update_error("SET a.b = :v, a.c = :v, a.d[0] = :v, a.d[1] = :v", v), "");
}

TEST(PrepareExpressions, UpdateOperandTypes) {
  EXPECT_EQ(update_error("ADD a :v", R"({":v":{"S":"x"}})"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND");
  EXPECT_EQ(update_error("ADD a :v", R"({":v":{"L":[]}})"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND");
  EXPECT_EQ(
      update_error("DELETE a :v", R"({":v":{"N":"1"}})"),
      "Invalid UpdateExpression: Incorrect operand type for operator or function; "
      "operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND");
  EXPECT_EQ(
      update_error("DELETE a :v", R"({":v":{"BOOL":true}})"),
      "Invalid UpdateExpression: Incorrect operand type for operator or function; "
      "operator: DELETE, operand type: BOOLEAN, typeSet: ALLOWED_FOR_DELETE_OPERAND");
  EXPECT_EQ(update_error("ADD a :v", R"({":v":{"NS":["1"]}})"), "");
  EXPECT_EQ(update_error("SET a = b + :v", R"({":v":{"S":"x"}})"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator or function: +, operand type: S");
  EXPECT_EQ(update_error("SET a = list_append(:v, b)", R"({":v":{"N":"1"}})"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator or function: list_append, operand type: N");
}

TEST(PrepareExpressions, ProjectionPathsMustNotOverlap) {
  RequestExpressions in;
  in.projection = "a, b, a.c";
  EXPECT_EQ(
      error_of([&] { prepare_expressions(in); }),
      "Invalid ProjectionExpression: Two document paths overlap with each other; must "
      "remove or rewrite one of these paths; path one: [a], path two: [a, c]");
}

TEST(PrepareExpressions, KeyConditionShape) {
  AttributeValues vals = values(R"({":a":{"N":"1"},":b":{"N":"2"}})");
  auto err = [&](std::string_view text) {
    RequestExpressions in;
    in.key_condition = text;
    in.values = &vals;
    return error_of([&] { prepare_expressions(in); });
  };
  EXPECT_EQ(err("a = :a OR b = :b"),
            "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(err("a = :a AND b <> :b"),
            "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(err("a = :a AND contains(b, :b)"),
            "Invalid operator used in KeyConditionExpression: contains");
  EXPECT_EQ(err("a = :a AND size(b) > :b"),
            "KeyConditionExpressions cannot contain nested operations");
  EXPECT_EQ(err("a.b = :a AND b > :b"),
            "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(err("a = b AND c > :b OR :a = :b"),
            "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(
      err("a = b AND c = :a AND d = :b"),
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in "
      "one condition");
  EXPECT_EQ(err(":a = :b"),
            "Invalid condition in KeyConditionExpression: No key attribute specified");
  EXPECT_EQ(
      err(":a BETWEEN a AND :b"),
      "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
      "attribute as its first operand");
  EXPECT_EQ(err("a = :a AND b > :a AND b < :b"),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(err("a = :a AND b > :a AND c < :b AND b = :a"),
            "KeyConditionExpressions must only contain one condition per key");
  // Up to eight conditions (a multi-attribute GSI key's four HASH and four
  // RANGE attributes) pass the shape; the key schema decides how many it takes.
  EXPECT_EQ(err(":a = a AND b = :a AND :b = c"), "");
  EXPECT_EQ(err("a = :a AND b = :a AND c = :a AND d = :a AND e = :a AND f = :a AND "
                "g = :a AND h = :a AND i = :b"),
            "Conditions can be of length 1 or 2 only");
  EXPECT_EQ(err("a = :a AND b BETWEEN :a AND :b"), "");
}

}  // namespace
}  // namespace jormun::expr
