#include <gtest/gtest.h>

#include <string>

#include "expr/functions.h"
#include "expr/parser.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::error_of;
using test_util::item;
using test_util::value;

Operand path_operand(std::string name) {
  Operand op;
  op.kind = Operand::Kind::kPath;
  op.path.elements.emplace_back(std::move(name));
  return op;
}

Operand value_operand(std::string_view json) {
  Operand op;
  op.kind = Operand::Kind::kValue;
  op.value = value(json);
  return op;
}

Operand call(Function f, std::vector<Operand> args) {
  Operand op;
  op.kind = Operand::Kind::kFunction;
  op.function = f;
  op.args = std::move(args);
  return op;
}

// "f(a, a, ...)" with `n` arguments.
std::string call_text(std::string_view name, size_t n) {
  std::string out(name);
  out += '(';
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "a" : ", a";
  return out + ")";
}

TEST(Functions, TableIsInEnumOrderAndComplete) {
  const auto all = all_functions();
  ASSERT_EQ(all.size(), static_cast<size_t>(Function::kSetDelete) + 1);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(all[i].function), i) << all[i].name;
    EXPECT_EQ(&describe(all[i].function), &all[i]);
    EXPECT_LE(all[i].min_arguments, all[i].max_arguments);
    EXPECT_LE(all[i].max_arguments, kMaxFunctionArguments);
    EXPECT_NE(all[i].places, 0) << all[i].name;
    // A function of an expression is a condition or yields a value; set_add
    // and set_delete become a clause instead.
    const int kinds = (all[i].test != nullptr) + (all[i].compute != nullptr) +
                      all[i].clause.has_value();
    EXPECT_EQ(kinds, 1) << all[i].name;
  }
}

TEST(Functions, EveryNameResolvesWhereItMayBeWritten) {
  for (const FunctionDescriptor& d : all_functions()) {
    if (d.is_operator) {
      EXPECT_EQ(find_function(d.name, 0xff), nullptr) << d.name;
      continue;
    }
    EXPECT_EQ(find_function(d.name, d.places), &d) << d.name;
    EXPECT_EQ(find_function(d.name, static_cast<uint8_t>(~d.places)), nullptr) << d.name;
  }
  EXPECT_EQ(find_function("BEGINS_WITH", kInCondition), nullptr);
  EXPECT_EQ(find_function("nope", 0xff), nullptr);
  EXPECT_EQ(find_function("begins_with", kInKeyCondition)->function,
            Function::kBeginsWith);
  // Expressions do not know PartiQL's set functions.
  EXPECT_EQ(find_function("set_add", kInCondition | kInUpdate), nullptr);
  EXPECT_EQ(find_function("set_add", kInPartiqlSet)->clause,
            UpdateExpression::Clause::kAdd);
  EXPECT_EQ(find_function("set_delete", kInPartiqlSet)->clause,
            UpdateExpression::Clause::kDelete);
}

TEST(Functions, WrongArgumentCountsGiveDynamoDbsMessage) {
  for (const FunctionDescriptor& d : all_functions()) {
    if (d.is_operator) continue;
    const size_t n = d.max_arguments + 1;
    const std::string expected =
        "Incorrect number of operands for operator or function; operator or function: " +
        std::string(d.name) + ", number of operands: " + std::to_string(n);
    if (d.places & kInCondition) {
      const std::string text =
          d.test != nullptr ? call_text(d.name, n) : call_text(d.name, n) + " = :v";
      EXPECT_EQ(error_of([&] { parse_condition(text, ExpressionKind::kCondition); }),
                "Invalid ConditionExpression: " + expected);
    }
    if (d.places & kInUpdate) {
      EXPECT_EQ(error_of([&] { parse_update("SET a = " + call_text(d.name, n)); }),
                "Invalid UpdateExpression: " + expected);
    }
  }
}

TEST(Functions, PlacesGiveDynamoDbsMessages) {
  EXPECT_EQ(error_of([] { parse_condition("set_add(a, :v)", ExpressionKind::kFilter); }),
            "Invalid FilterExpression: Invalid function name; function: set_add");
  EXPECT_EQ(error_of([] { parse_update("SET a = size(a)"); }),
            "Invalid UpdateExpression: The function is not allowed in an update "
            "expression; function: size");
  EXPECT_EQ(error_of([] { parse_update("SET a = if_not_exists(:v, a)"); }),
            "Invalid UpdateExpression: Operator or function requires a document path; "
            "operator or function: if_not_exists");
}

TEST(Functions, ArgumentChecks) {
  const std::vector<Operand> typed{path_operand("a"), value_operand(R"({"S":"NUMBER"})")};
  EXPECT_EQ(error_of([&] {
              check_arguments(describe(Function::kAttributeType), typed,
                              ExpressionKind::kCondition);
            }),
            "Invalid ConditionExpression: Invalid attribute type name found; type: "
            "NUMBER, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  const std::vector<Operand> appended{path_operand("a"), value_operand(R"({"N":"1"})")};
  EXPECT_EQ(error_of([&] {
              check_arguments(describe(Function::kListAppend), appended,
                              ExpressionKind::kUpdate);
            }),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator or function: list_append, operand type: N");
  const std::vector<Operand> not_path{value_operand(R"({"S":"x"})")};
  EXPECT_EQ(error_of([&] {
              check_arguments(describe(Function::kAttributeExists), not_path,
                              ExpressionKind::kFilter);
            }),
            "Invalid FilterExpression: Operator or function requires a document path; "
            "operator or function: attribute_exists");
  // size() is known to yield a number, which begins_with cannot take.
  const std::vector<Operand> sized{call(Function::kSize, {path_operand("a")}),
                                   value_operand(R"({"S":"x"})")};
  EXPECT_EQ(error_of([&] {
              check_arguments(describe(Function::kBeginsWith), sized,
                              ExpressionKind::kCondition);
            }),
            "Invalid ConditionExpression: Incorrect operand type for operator or "
            "function; operator or function: begins_with, operand type: N");
}

TEST(Functions, Evaluation) {
  const model::Item it =
      item(R"({"s":{"S":"héllo"},"l":{"L":[{"N":"1"}]},"n":{"N":"2"}})");
  EXPECT_EQ(*evaluate_operand(call(Function::kSize, {path_operand("s")}), &it).get(),
            value(R"({"N":"6"})"));
  EXPECT_EQ(evaluate_operand(call(Function::kSize, {path_operand("n")}), &it).get(),
            nullptr);
  EXPECT_EQ(evaluate_operand(call(Function::kSize, {path_operand("x")}), &it).get(),
            nullptr);

  const std::vector<Operand> exists{path_operand("x")};
  Arguments missing(exists, &it);
  EXPECT_TRUE(describe(Function::kAttributeNotExists).test(missing));
  const std::vector<Operand> prefix{path_operand("s"), value_operand(R"({"S":"hé"})")};
  Arguments begins(prefix, &it);
  EXPECT_TRUE(describe(Function::kBeginsWith).test(begins));

  // if_not_exists never evaluates the default it does not use, so a missing
  // default path only matters when the first argument is missing too.
  EXPECT_EQ(
      *evaluate_operand(
           call(Function::kIfNotExists, {path_operand("n"), path_operand("x")}), &it)
           .get(),
      value(R"({"N":"2"})"));
  EXPECT_EQ(evaluate_operand(
                call(Function::kIfNotExists, {path_operand("y"), path_operand("x")}), &it)
                .get(),
            nullptr);
  EXPECT_EQ(*evaluate_operand(call(Function::kListAppend,
                                   {path_operand("l"), value_operand(R"({"L":[]})")}),
                              &it)
                 .get(),
            value(R"({"L":[{"N":"1"}]})"));
  EXPECT_EQ(*evaluate_operand(call(Function::kMinus,
                                   {path_operand("n"), value_operand(R"({"N":"0.5"})")}),
                              &it)
                 .get(),
            value(R"({"N":"1.5"})"));
  EXPECT_EQ(error_of([&] {
              evaluate_operand(
                  call(Function::kPlus, {path_operand("s"), path_operand("n")}), &it);
            }),
            "An operand in the update expression has an incorrect data type");
}

}  // namespace
}  // namespace jormun::expr
