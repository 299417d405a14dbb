#include "ops/read_attributes.h"

#include <gtest/gtest.h>

#include "expr/expressions.h"
#include "expr_test_util.h"

namespace jormun::ops {
namespace {

using expr::test_util::error_of;
using storage::IndexSchema;

storage::TableSchema table() {
  storage::TableSchema t;
  t.name = "t";
  t.partition_key = {"pk", model::Type::S};
  t.sort_key = storage::KeyAttribute{"sk", model::Type::N};
  IndexSchema lsi;
  lsi.name = "lsi";
  lsi.partition_key = {"pk", model::Type::S};
  lsi.sort_key = storage::KeyAttribute{"ls", model::Type::S};
  lsi.projection = IndexSchema::Projection::kInclude;
  lsi.non_key_attributes = {"inc"};
  IndexSchema gsi = lsi;
  gsi.name = "gsi";
  gsi.global = true;
  gsi.partition_key = {"g", model::Type::S};
  gsi.sort_key.reset();
  t.indexes = {lsi, gsi};
  return t;
}

// The expressions of a request whose values all are :v = 1.
expr::PreparedExpressions prepared(std::optional<std::string_view> projection,
                                   std::optional<std::string_view> filter) {
  static const expr::AttributeValues values =
      expr::test_util::values(R"({":v":{"N":"1"}})");
  expr::RequestExpressions in;
  in.projection = projection;
  in.filter = filter;
  if (filter) in.values = &values;
  return expr::prepare_expressions(in);
}

TEST(ReadAttributesTest, ConditionPathsInOrderIncludingFunctionArguments) {
  auto ex =
      prepared(std::nullopt, "a.b = :v AND (size(c[1]) > :v OR attribute_exists(d))");
  std::vector<std::string> tops;
  for (const expr::Path* p : condition_paths(*ex.filter)) tops.push_back(p->top());
  EXPECT_EQ(tops, (std::vector<std::string>{"a", "c", "d"}));
}

TEST(ReadAttributesTest, KeyAttributesOnlyWhole) {
  const auto t = table();
  auto check = [&](std::string_view projection) {
    auto ex = prepared(projection, std::nullopt);
    return error_of([&] { check_key_paths(projection_paths(*ex.projection), t); });
  };
  EXPECT_EQ(check("pk, sk, g, ls, oth.x"), "");
  const std::string prefix =
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are "
      "not "
      "allowed: ";
  EXPECT_EQ(check("sk.x"), prefix + "Key: sk");
  EXPECT_EQ(check("a, g[1]"), prefix + "IndexKey: g");
}

TEST(ReadAttributesTest, LsiReadsFromTheTableOnlyWhenItLacksAnAttribute) {
  const auto t = table();
  const IndexSchema& lsi = t.indexes[0];
  auto projected = prepared("pk, ls, inc.x", std::nullopt);
  EXPECT_FALSE(reads_from_table(t, lsi, {false, &*projected.projection, nullptr}));
  auto more = prepared("pk, oth", std::nullopt);
  EXPECT_TRUE(reads_from_table(t, lsi, {false, &*more.projection, nullptr}));
  auto filter = prepared(std::nullopt, "oth = :v");
  EXPECT_TRUE(reads_from_table(t, lsi, {false, nullptr, &*filter.filter}));
  EXPECT_TRUE(reads_from_table(t, lsi, {true, nullptr, nullptr}));
}

TEST(ReadAttributesTest, GsiRefusesWhatItDoesNotProject) {
  const auto t = table();
  const IndexSchema& gsi = t.indexes[1];
  auto projected = prepared("g, sk, inc", std::nullopt);
  EXPECT_FALSE(reads_from_table(t, gsi, {false, &*projected.projection, nullptr}));
  auto more = prepared("x.a, g, y.z, x.b", std::nullopt);
  EXPECT_EQ(
      error_of([&] {
        reads_from_table(t, gsi, {false, &*more.projection, nullptr});
      }),
      "One or more parameter values were invalid: Global secondary index gsi does not "
      "project [x, y]");
  auto filter = prepared(std::nullopt, "ls = :v");
  EXPECT_EQ(
      error_of([&] {
        reads_from_table(t, gsi, {false, nullptr, &*filter.filter});
      }),
      "One or more parameter values were invalid: Secondary index gsi does not project "
      "one or more filter attributes: [ls]");
  EXPECT_EQ(
      error_of([&] {
        reads_from_table(t, gsi, {true, nullptr, nullptr});
      }),
      "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
      "supported for global secondary index gsi because its projection type is not ALL");
}

}  // namespace
}  // namespace jormun::ops
