#include <gtest/gtest.h>

#include "expr/expressions.h"
#include "expr/projection.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::item;
using test_util::to_json;

const model::Item kItem = item(R"({
  "a": {"N": "1"},
  "b": {"M": {"c": {"S": "x"}, "d": {"L": [{"N": "0"}, {"M": {"e": {"N": "1"}, "f": {"N": "2"}}}, {"N": "2"}]}}},
  "l": {"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}]}
})");

std::string projected(std::string_view projection) {
  RequestExpressions in;
  in.projection = projection;
  return to_json(project(kItem, prepare_expressions(in).projection->paths));
}

TEST(Projection, TopLevelAttributes) {
  EXPECT_EQ(projected("a, zz"), R"({"a":{"N":"1"}})");
}

TEST(Projection, ListElementsArePacked) {
  EXPECT_EQ(projected("l[1]"), R"({"l":{"L":[{"S":"l1"}]}})");
  EXPECT_EQ(projected("l[2], l[0], l[7]"), R"({"l":{"L":[{"S":"l0"},{"S":"l2"}]}})");
}

TEST(Projection, NestedPathsMerge) {
  EXPECT_EQ(projected("b.c, b.d[1].f"),
            R"({"b":{"M":{"c":{"S":"x"},"d":{"L":[{"M":{"f":{"N":"2"}}}]}}}})");
  EXPECT_EQ(projected("b.d[1].e, b.d[1].f"),
            R"({"b":{"M":{"d":{"L":[{"M":{"e":{"N":"1"},"f":{"N":"2"}}}]}}}})");
}

TEST(Projection, MissingOrMistypedPathsSelectNothing) {
  EXPECT_EQ(projected("b.zz, a.x, l[5], b.c[0]"), R"({})");
}

}  // namespace
}  // namespace jormun::expr
