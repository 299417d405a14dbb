#include <gtest/gtest.h>

#include "expr/evaluator.h"
#include "expr/expressions.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::item;
using test_util::values;

const model::Item kItem = item(R"({
  "pk": {"S": "user#1"},
  "age": {"N": "42"},
  "name": {"S": "Ada Lovelace"},
  "bin": {"B": "AAEC"},
  "ok": {"BOOL": true},
  "nothing": {"NULL": true},
  "tags": {"SS": ["admin", "dev"]},
  "scores": {"NS": ["1", "2.5"]},
  "arr": {"L": [{"S": "x"}, {"N": "7"}, {"M": {"deep": {"S": "y"}}}]},
  "doc": {"M": {"a": {"N": "1"}, "b": {"L": []}}}
})");

// Evaluates `condition` with `vals_json` as ExpressionAttributeValues and
// #name mapped to "name".
bool eval(std::string_view condition, std::string_view vals_json = "",
          const model::Item* target = &kItem) {
  AttributeValues vals = vals_json.empty() ? AttributeValues{} : values(vals_json);
  AttributeNames names{{"#name", "name"}};
  RequestExpressions in;
  in.filter = condition;
  if (!vals.empty()) in.values = &vals;
  if (condition.find("#name") != std::string_view::npos) in.names = &names;
  return evaluate(*prepare_expressions(in).filter, target);
}

TEST(Evaluator, Comparisons) {
  EXPECT_TRUE(eval("age = :v", R"({":v":{"N":"42.0"}})"));
  EXPECT_TRUE(eval("age < :v", R"({":v":{"N":"100"}})"));
  EXPECT_FALSE(eval("age > :v", R"({":v":{"N":"100"}})"));
  EXPECT_TRUE(eval("age >= :v AND age <= :v", R"({":v":{"N":"42"}})"));
  EXPECT_TRUE(eval("#name > :v", R"({":v":{"S":"Ada"}})"));
  EXPECT_TRUE(eval("bin < :v", R"({":v":{"B":"AAED"}})"));
  EXPECT_TRUE(eval("doc = :v", R"({":v":{"M":{"b":{"L":[]},"a":{"N":"1.00"}}}})"));
  EXPECT_TRUE(eval("tags = :v", R"({":v":{"SS":["dev","admin"]}})"));
  EXPECT_TRUE(eval("arr[1] = :v", R"({":v":{"N":"7"}})"));
  EXPECT_TRUE(eval("arr[2].deep = :v", R"({":v":{"S":"y"}})"));
}

TEST(Evaluator, DifferentTypesCompareFalseNotEqualTrue) {
  EXPECT_FALSE(eval("age = :v", R"({":v":{"S":"42"}})"));
  EXPECT_TRUE(eval("age <> :v", R"({":v":{"S":"42"}})"));
  EXPECT_FALSE(eval("age < :v", R"({":v":{"S":"9"}})"));
  EXPECT_FALSE(eval("age > :v", R"({":v":{"S":"9"}})"));
  EXPECT_FALSE(eval("ok < pk"));
}

TEST(Evaluator, MissingAttributes) {
  EXPECT_FALSE(eval("absent = :v", R"({":v":{"N":"1"}})"));
  EXPECT_TRUE(eval("absent <> :v", R"({":v":{"N":"1"}})"));
  EXPECT_FALSE(eval("absent < :v", R"({":v":{"N":"1"}})"));
  EXPECT_FALSE(eval("arr[9] = :v", R"({":v":{"N":"1"}})"));
  EXPECT_FALSE(eval("age.x = :v", R"({":v":{"N":"1"}})"));
  EXPECT_TRUE(eval("attribute_not_exists(pk)", "", nullptr));
  EXPECT_FALSE(eval("attribute_exists(pk)", "", nullptr));
}

TEST(Evaluator, LogicalOperators) {
  EXPECT_TRUE(eval("age = :a OR age = :b", R"({":a":{"N":"1"},":b":{"N":"42"}})"));
  EXPECT_FALSE(eval("age = :a AND age = :b", R"({":a":{"N":"1"},":b":{"N":"42"}})"));
  EXPECT_TRUE(eval("NOT age = :a", R"({":a":{"N":"1"}})"));
  EXPECT_TRUE(eval("NOT age = :a AND age = :b OR age = :a",
                   R"({":a":{"N":"1"},":b":{"N":"42"}})"));
}

TEST(Evaluator, BetweenAndIn) {
  EXPECT_TRUE(eval("age BETWEEN :lo AND :hi", R"({":lo":{"N":"42"},":hi":{"N":"50"}})"));
  EXPECT_FALSE(eval("age BETWEEN :lo AND :hi", R"({":lo":{"N":"43"},":hi":{"N":"50"}})"));
  EXPECT_FALSE(eval("age BETWEEN :lo AND :hi", R"({":lo":{"S":"1"},":hi":{"S":"9"}})"));
  EXPECT_TRUE(eval("age IN (:a, :b)", R"({":a":{"N":"1"},":b":{"N":"42"}})"));
  EXPECT_FALSE(eval("age IN (:a, :b)", R"({":a":{"N":"1"},":b":{"S":"42"}})"));
}

TEST(Evaluator, Functions) {
  EXPECT_TRUE(eval("attribute_exists(doc.b)"));
  EXPECT_FALSE(eval("attribute_exists(doc.c)"));
  EXPECT_TRUE(eval("attribute_not_exists(arr[3])"));
  EXPECT_TRUE(eval("attribute_type(scores, :t)", R"({":t":{"S":"NS"}})"));
  EXPECT_FALSE(eval("attribute_type(scores, :t)", R"({":t":{"S":"SS"}})"));
  EXPECT_TRUE(eval("attribute_type(nothing, :t)", R"({":t":{"S":"NULL"}})"));
  EXPECT_TRUE(eval("begins_with(#name, :p)", R"({":p":{"S":"Ada "}})"));
  EXPECT_FALSE(eval("begins_with(#name, :p)", R"({":p":{"S":"ada"}})"));
  EXPECT_TRUE(eval("begins_with(bin, :p)", R"({":p":{"B":"AA=="}})"));
  EXPECT_FALSE(eval("begins_with(age, :p)", R"({":p":{"S":"4"}})"));
}

TEST(Evaluator, Contains) {
  EXPECT_TRUE(eval("contains(#name, :s)", R"({":s":{"S":"Love"}})"));
  EXPECT_FALSE(eval("contains(#name, :s)", R"({":s":{"S":"love"}})"));
  EXPECT_TRUE(eval("contains(tags, :s)", R"({":s":{"S":"dev"}})"));
  EXPECT_FALSE(eval("contains(tags, :s)", R"({":s":{"S":"de"}})"));
  EXPECT_TRUE(eval("contains(scores, :n)", R"({":n":{"N":"2.50"}})"));
  EXPECT_TRUE(eval("contains(arr, :n)", R"({":n":{"N":"7"}})"));
  EXPECT_FALSE(eval("contains(arr, :n)", R"({":n":{"S":"7"}})"));
  EXPECT_FALSE(eval("contains(age, :n)", R"({":n":{"N":"4"}})"));
}

TEST(Evaluator, SizeOfEachType) {
  EXPECT_TRUE(eval("size(#name) = :n", R"({":n":{"N":"12"}})"));
  EXPECT_TRUE(eval("size(bin) = :n", R"({":n":{"N":"3"}})"));
  EXPECT_TRUE(eval("size(tags) = :n", R"({":n":{"N":"2"}})"));
  EXPECT_TRUE(eval("size(scores) = :n", R"({":n":{"N":"2"}})"));
  EXPECT_TRUE(eval("size(arr) = :n", R"({":n":{"N":"3"}})"));
  EXPECT_TRUE(eval("size(doc) = :n", R"({":n":{"N":"2"}})"));
  EXPECT_TRUE(eval("size(doc.b) < :n", R"({":n":{"N":"1"}})"));
  // Numbers, booleans and nulls have no size: any condition on it is false.
  EXPECT_FALSE(eval("size(age) > :n", R"({":n":{"N":"0"}})"));
  EXPECT_FALSE(eval("size(ok) = :n", R"({":n":{"N":"1"}})"));
  EXPECT_FALSE(eval("size(absent) >= :n", R"({":n":{"N":"0"}})"));
}

TEST(Evaluator, SizeCountsUtf8Bytes) {
  model::Item accented = item(R"({"s":{"S":"\u00e9t\u00e9"}})");
  EXPECT_TRUE(eval("size(s) = :n", R"({":n":{"N":"5"}})", &accented));
}

}  // namespace
}  // namespace jormun::expr
