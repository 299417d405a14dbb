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

// reads_from_table on index `i` of table() for a request with these members.
bool reads(size_t i, std::optional<std::string_view> projection,
           std::optional<std::string_view> filter = std::nullopt, bool all = false) {
  const auto t = table();
  auto ex = prepared(projection, filter);
  return reads_from_table(t, t.indexes[i],
                          {all, ex.projection ? &*ex.projection : nullptr,
                           ex.filter ? &*ex.filter : nullptr});
}

TEST(ReadAttributesTest, LsiReadsFromTheTableOnlyWhenItLacksAnAttribute) {
  EXPECT_FALSE(reads(0, "pk, ls, inc.x"));
  EXPECT_TRUE(reads(0, "pk, oth"));
  EXPECT_TRUE(reads(0, std::nullopt, "oth = :v"));
  EXPECT_TRUE(reads(0, std::nullopt, std::nullopt, true));
}

TEST(ReadAttributesTest, GsiRefusesWhatItDoesNotProject) {
  const std::string invalid = "One or more parameter values were invalid: ";
  EXPECT_FALSE(reads(1, "g, sk, inc"));
  EXPECT_EQ(error_of([] { reads(1, "x.a, g, y.z, x.b"); }),
            invalid + "Global secondary index gsi does not project [x, y]");
  EXPECT_EQ(
      error_of([] { reads(1, std::nullopt, "ls = :v"); }),
      invalid +
          "Secondary index gsi does not project one or more filter attributes: [ls]");
  EXPECT_EQ(
      error_of([] { reads(1, std::nullopt, std::nullopt, true); }),
      invalid +
          "Select type ALL_ATTRIBUTES is not supported for global secondary index gsi "
          "because its projection type is not ALL");
}

}  // namespace
}  // namespace jormun::ops
