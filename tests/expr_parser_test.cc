#include <gtest/gtest.h>

#include <string>

#include "expr/parser.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::error_of;

std::string condition_error(std::string_view text) {
  return error_of([&] { parse_condition(text, ExpressionKind::kCondition); });
}

TEST(ConditionParser, PrecedenceIsNotThenAndThenOr) {
  Condition c =
      parse_condition("a = :a OR NOT b = :b AND c = :c", ExpressionKind::kFilter);
  ASSERT_EQ(c.op, Condition::Op::kOr);
  ASSERT_EQ(c.children.size(), 2u);
  EXPECT_EQ(c.children[0].op, Condition::Op::kCompare);
  const Condition& rhs = c.children[1];
  ASSERT_EQ(rhs.op, Condition::Op::kAnd);
  EXPECT_EQ(rhs.children[0].op, Condition::Op::kNot);
  EXPECT_EQ(rhs.children[1].op, Condition::Op::kCompare);
}

TEST(ConditionParser, ParenthesesOverridePrecedence) {
  Condition c =
      parse_condition("(a = :a OR b = :b) AND c = :c", ExpressionKind::kCondition);
  ASSERT_EQ(c.op, Condition::Op::kAnd);
  EXPECT_EQ(c.children[0].op, Condition::Op::kOr);
}

TEST(ConditionParser, NestedPathsAndPlaceholders) {
  Condition c = parse_condition("a.b[2].#c <= :v", ExpressionKind::kCondition);
  ASSERT_EQ(c.op, Condition::Op::kCompare);
  EXPECT_EQ(c.comparator, Comparator::kLe);
  EXPECT_EQ(path_to_string(c.operands[0].path), "[a, b, [2], #c]");
  EXPECT_EQ(c.operands[1].kind, Operand::Kind::kValue);
  EXPECT_EQ(c.operands[1].value_name, ":v");
}

TEST(ConditionParser, BetweenInAndFunctions) {
  Condition between =
      parse_condition("a BETWEEN :lo AND :hi", ExpressionKind::kCondition);
  EXPECT_EQ(between.op, Condition::Op::kBetween);
  EXPECT_EQ(between.operands.size(), 3u);

  Condition in = parse_condition("a in (:x, :y, :z)", ExpressionKind::kCondition);
  EXPECT_EQ(in.op, Condition::Op::kIn);
  EXPECT_EQ(in.operands.size(), 4u);

  Condition size = parse_condition("size(a) > :n", ExpressionKind::kCondition);
  EXPECT_EQ(size.operands[0].kind, Operand::Kind::kFunction);
  EXPECT_EQ(size.operands[0].function, Function::kSize);

  Condition f = parse_condition("begins_with(#p, :s)", ExpressionKind::kCondition);
  EXPECT_EQ(f.op, Condition::Op::kFunction);
  EXPECT_EQ(f.function, Function::kBeginsWith);
  EXPECT_EQ(f.operands.size(), 2u);
}

TEST(ConditionParser, ParenthesisedOperand) {
  Condition c = parse_condition("(a) = :v", ExpressionKind::kCondition);
  EXPECT_EQ(c.op, Condition::Op::kCompare);
}

TEST(ConditionParser, SyntaxErrorsNameTheTokenAndItsNeighbours) {
  EXPECT_EQ(condition_error("foo"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
  EXPECT_EQ(condition_error("a = "),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"");
  EXPECT_EQ(condition_error("a > 4 AND b = :b"),
            "Invalid ConditionExpression: Syntax error; token: \"4\", near: \"> 4 AND\"");
  EXPECT_EQ(condition_error("_a = :v"),
            "Invalid ConditionExpression: Syntax error; token: \"_\", near: \"_a\"");
  EXPECT_EQ(
      error_of([] { parse_condition("[object Object]", ExpressionKind::kKeyCondition); }),
      "Invalid KeyConditionExpression: Syntax error; token: \"[\", near: \"[object\"");
  EXPECT_EQ(
      condition_error("NOT NOT a = :v"),
      "Invalid ConditionExpression: Syntax error; token: \"NOT\", near: \"NOT NOT a\"");
}

TEST(ConditionParser, EmptyAndOversizedExpressions) {
  EXPECT_EQ(condition_error(""),
            "Invalid ConditionExpression: The expression can not be empty;");
  std::string big = "a = :v";
  big += std::string(4096 - big.size(), ' ');
  EXPECT_EQ(condition_error(big), "");
  big += " ";
  EXPECT_EQ(
      condition_error(big),
      "Invalid ConditionExpression: Expression size has exceeded the maximum allowed "
      "size; expression size: 4097");
}

TEST(ConditionParser, ReservedWordsNeedPlaceholders) {
  EXPECT_EQ(condition_error("Status = :v"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: Status");
  EXPECT_EQ(condition_error("a.name = :v"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: name");
  EXPECT_EQ(condition_error("#status = :v AND statuses = :w"), "");
}

TEST(ConditionParser, FunctionMisuse) {
  EXPECT_EQ(
      condition_error("size(a)"),
      "Invalid ConditionExpression: The function is not allowed to be used this way "
      "in an expression; function: size");
  EXPECT_EQ(
      condition_error("attribute_exists(a) = :v"),
      "Invalid ConditionExpression: The function is not allowed to be used this way "
      "in an expression; function: attribute_exists");
  EXPECT_EQ(condition_error("foo(a)"),
            "Invalid ConditionExpression: Invalid function name; function: foo");
  EXPECT_EQ(condition_error("list_append(a, b) = :v"),
            "Invalid ConditionExpression: The function is not allowed in a condition "
            "expression; function: list_append");
  EXPECT_EQ(condition_error("attribute_exists(if_not_exists(a, :v))"),
            "Invalid ConditionExpression: The function is not allowed in a condition "
            "expression; function: if_not_exists");
  EXPECT_EQ(condition_error("begins_with(size(a), :v)"), "");
  EXPECT_EQ(
      condition_error("size(begins_with(a, :v)) = :w"),
      "Invalid ConditionExpression: The function is not allowed to be used this way "
      "in an expression; function: begins_with");
  EXPECT_EQ(condition_error("begins_with(a)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or "
            "function; operator or function: begins_with, number of operands: 1");
}

TEST(ConditionParser, RedundantParentheses) {
  EXPECT_EQ(condition_error("((a = :v))"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(condition_error("((a)) = :v"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(condition_error("(a = :v) AND ((b = :w) OR c = :x)"), "");
}

TEST(ConditionParser, InAcceptsAtMostOneHundredValues) {
  auto in_list = [](int n) {
    std::string s = "a IN (";
    for (int i = 0; i < n; ++i) s += (i ? ",:v" : ":v") + std::to_string(i);
    return s + ")";
  };
  EXPECT_EQ(condition_error(in_list(100)), "");
  EXPECT_EQ(condition_error(in_list(101)),
            "Invalid ConditionExpression: The IN operator is provided with too many "
            "operands; number of operands: 101");
}

TEST(UpdateParser, AllFourClauses) {
  UpdateExpression u = parse_update(
      "SET a = :a, b.c[1] = b.c[1] + :one, l = list_append(l, :l), n = if_not_exists(n, "
      ":z) "
      "REMOVE x, y[3] ADD s :s DELETE t :t");
  ASSERT_EQ(u.set.size(), 4u);
  EXPECT_EQ(u.set[1].value.function, Function::kPlus);
  EXPECT_EQ(u.set[2].value.function, Function::kListAppend);
  EXPECT_EQ(u.set[3].value.function, Function::kIfNotExists);
  ASSERT_EQ(u.remove.size(), 2u);
  EXPECT_EQ(path_to_string(u.remove[1]), "[y, [3]]");
  ASSERT_EQ(u.add.size(), 1u);
  EXPECT_EQ(u.add[0].value.value_name, ":s");
  ASSERT_EQ(u.del.size(), 1u);
}

TEST(UpdateParser, ClausesAreCaseInsensitiveAndParenthesisedValues) {
  UpdateExpression u = parse_update("set a = (:x - b) remove c");
  ASSERT_EQ(u.set.size(), 1u);
  EXPECT_EQ(u.set[0].value.function, Function::kMinus);
  EXPECT_EQ(u.remove.size(), 1u);
}

TEST(UpdateParser, Errors) {
  auto err = [](std::string_view text) { return error_of([&] { parse_update(text); }); };
  EXPECT_EQ(
      err("SET a = :a SET b = :b"),
      "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
      "expression;");
  EXPECT_EQ(err("SET _123 = :v"),
            "Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\"");
  EXPECT_EQ(err("SET note = :v +"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"+\"");
  EXPECT_EQ(
      err("SET a = size(b)"),
      "Invalid UpdateExpression: The function is not allowed in an update expression; "
      "function: size");
  EXPECT_EQ(
      err("SET a = if_not_exists(b, attribute_exists(c))"),
      "Invalid UpdateExpression: The function is not allowed in an update expression; "
      "function: attribute_exists");
  EXPECT_EQ(err("SET a = nope(b)"),
            "Invalid UpdateExpression: Invalid function name; function: nope");
  EXPECT_EQ(err("SET # = :v"),
            "Invalid UpdateExpression: Syntax error; token: \"#\", near: \"SET # =\"");
  EXPECT_EQ(err("SET a = :"),
            "Invalid UpdateExpression: Syntax error; token: \":\", near: \"= :\"");
  EXPECT_EQ(err("SET a = if_not_exists(:v, b)"),
            "Invalid UpdateExpression: Operator or function requires a document path; "
            "operator or function: if_not_exists");
  EXPECT_EQ(err("ADD a b"),
            "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(err("REMOVE data"),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved "
            "keyword: data");
}

TEST(UpdateParser, OnlyIfNotExistsNests) {
  auto err = [](std::string_view text) { return error_of([&] { parse_update(text); }); };
  const std::string misused =
      "Invalid UpdateExpression: The function is not allowed to be used this way in an "
      "expression; function: list_append";
  EXPECT_EQ(err("SET a = list_append(list_append(a, :v), :w)"), misused);
  EXPECT_EQ(err("SET a = if_not_exists(a, list_append(b, :v))"), misused);
  EXPECT_EQ(err("SET a = list_append(a, :v) + :n"), misused);
  EXPECT_EQ(err("SET a = :n - (list_append(a, :v))"), misused);
  EXPECT_EQ(err("SET a = list_append(if_not_exists(a, :e), :v)"), "");
  EXPECT_EQ(err("SET a = if_not_exists(a, :z) + :one, b = (list_append(b, :v))"), "");
}

// DynamoDB allows 32 elements in a document path, in every expression kind.
TEST(Parsers, DocumentPathsNestAtMost32Levels) {
  auto path = [](int elements) {
    std::string p = "a";
    for (int i = 1; i < elements; ++i) p += i % 2 ? ".b" : "[0]";
    return p;
  };
  const std::string deep = path(33);
  EXPECT_EQ(condition_error(path(32) + " = :v"), "");
  EXPECT_EQ(condition_error(deep + " = :v"),
            "Invalid ConditionExpression: The document path has too many nesting levels; "
            "nesting levels: 33");
  EXPECT_EQ(error_of([&] {
              parse_condition("attribute_exists(" + deep + ")", ExpressionKind::kFilter);
            }),
            "Invalid FilterExpression: The document path has too many nesting levels; "
            "nesting levels: 33");
  EXPECT_EQ(error_of([&] { parse_update("SET " + deep + " = :v"); }),
            "Invalid UpdateExpression: The document path has too many nesting levels; "
            "nesting levels: 33");
  EXPECT_EQ(
      error_of([&] { parse_update("SET a = if_not_exists(" + path(40) + ", :v)"); }),
      "Invalid UpdateExpression: The document path has too many nesting levels; "
      "nesting levels: 40");
  EXPECT_EQ(
      error_of([&] { parse_projection("x, " + deep); }),
      "Invalid ProjectionExpression: The document path has too many nesting levels; "
      "nesting levels: 33");
  EXPECT_EQ(error_of([&] { parse_projection(path(32)); }), "");
}

// At most 300 operators and functions; DynamoDB reports the count at which it
// stopped, one over the limit.
TEST(Parsers, AtMost300Operators) {
  auto comparisons = [](int n) {  // n comparisons joined by n - 1 ORs
    std::string s = "a < b";
    for (int i = 1; i < n; ++i) s += " OR a < b";
    return s;
  };
  EXPECT_EQ(condition_error(comparisons(150)), "");  // 299 operators
  const std::string too_many =
      "Invalid ConditionExpression: The expression contains too many operators; "
      "operator count: 301";
  EXPECT_EQ(condition_error(comparisons(151)), too_many);
  EXPECT_EQ(condition_error(comparisons(200)), too_many);
  // Functions count, parentheses do not.
  std::string with_functions = "(size(a) = :v)";
  for (int i = 1; i < 100; ++i) with_functions += " AND (size(a) = :v)";
  EXPECT_EQ(condition_error(with_functions), "");  // 100 + 100 + 99
  EXPECT_EQ(condition_error(with_functions + " AND NOT attribute_exists(b)"), too_many);
  std::string sums = "SET a0=b+:v";
  for (int i = 1; i < 300; ++i) sums += ",a" + std::to_string(i) + "=b+:v";
  EXPECT_EQ(error_of([&] { parse_update(sums); }), "");
  EXPECT_EQ(error_of([&] { parse_update(sums + ",z=if_not_exists(z,:v)"); }),
            "Invalid UpdateExpression: The expression contains too many operators; "
            "operator count: 301");
}

TEST(ProjectionParser, PathsInOrder) {
  Projection p = parse_projection("a, b.c, #d[0]");
  ASSERT_EQ(p.paths.size(), 3u);
  EXPECT_EQ(path_to_string(p.paths[2]), "[#d, [0]]");
  EXPECT_EQ(error_of([] { parse_projection("a,"); }),
            "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
}

}  // namespace
}  // namespace jormun::expr
