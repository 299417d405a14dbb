#include <gtest/gtest.h>

#include "expr/expressions.h"
#include "expr/key_condition.h"
#include "expr_test_util.h"

namespace jormun::expr {
namespace {

using test_util::error_of;
using test_util::values;

const KeySchema kSchema{"pk", model::Type::S, "sk", model::Type::N, {}, {}};

KeyCondition key_condition(std::string_view text, const KeySchema& schema = kSchema) {
  AttributeValues vals =
      values(R"({":p":{"S":"user"},":lo":{"N":"1"},":hi":{"N":"5"},":s":{"S":"x"}})");
  AttributeNames names{{"#k", "sk"}};
  RequestExpressions in;
  in.key_condition = text;
  // Leave the unused-value check out of these tests: bind only what is used.
  AttributeValues used;
  for (auto& [k, v] : vals) {
    if (text.find(k) != std::string_view::npos) used.emplace(k, v);
  }
  in.values = &used;
  if (text.find("#k") != std::string_view::npos) in.names = &names;
  return to_key_condition(*prepare_expressions(in).key_condition, schema);
}

TEST(KeyCondition, PartitionKeyOnly) {
  KeyCondition kc = key_condition("pk = :p");
  EXPECT_EQ(kc.partition_key, "pk");
  EXPECT_EQ(kc.partition_value, test_util::value(R"({"S":"user"})"));
  EXPECT_FALSE(kc.sort);
}

TEST(KeyCondition, SortKeyForms) {
  KeyCondition kc = key_condition("pk = :p AND #k BETWEEN :lo AND :hi");
  ASSERT_TRUE(kc.sort);
  EXPECT_EQ(kc.sort->attribute, "sk");
  EXPECT_EQ(kc.sort->op, SortKeyCondition::Op::kBetween);
  EXPECT_EQ(kc.sort->values.size(), 2u);

  // A comparison written value-first is seen from the key's side.
  kc = key_condition(":lo < sk AND pk = :p");
  ASSERT_TRUE(kc.sort);
  EXPECT_EQ(kc.sort->op, SortKeyCondition::Op::kGt);

  KeySchema string_sort{"pk", model::Type::S, "sk", model::Type::S, {}, {}};
  kc = key_condition("pk = :p AND begins_with(sk, :s)", string_sort);
  EXPECT_EQ(kc.sort->op, SortKeyCondition::Op::kBeginsWith);
}

TEST(KeyCondition, SchemaErrors) {
  EXPECT_EQ(error_of([] { key_condition("sk = :lo"); }),
            "Query condition missed key schema element: pk");
  EXPECT_EQ(error_of([] { key_condition("pk = :p AND extra = :lo"); }),
            "Query condition missed key schema element: sk");
  EXPECT_EQ(error_of([] { key_condition("pk > :p"); }),
            "Query key condition not supported");
  KeySchema hash_only;
  hash_only.partition_key = "pk";
  EXPECT_EQ(error_of([&] { key_condition("pk = :p AND sk = :lo", hash_only); }),
            "Query key condition not supported");
  // Two conditions where there is no sort key, whatever they name.
  EXPECT_EQ(error_of([&] { key_condition("sk = :lo AND extra = :p", hash_only); }),
            "Query key condition not supported");
  // A value of the wrong type is reported before the operator.
  EXPECT_EQ(
      error_of([] { key_condition(":lo > pk"); }),
      "One or more parameter values were invalid: Condition parameter type does not "
      "match schema type");
  EXPECT_EQ(
      error_of([] { key_condition("pk = :lo"); }),
      "One or more parameter values were invalid: Condition parameter type does not "
      "match schema type");
  EXPECT_EQ(
      error_of([] { key_condition("pk = :p AND sk > :s"); }),
      "One or more parameter values were invalid: Condition parameter type does not "
      "match schema type");
}

TEST(KeyCondition, FiltersMayNotNameKeyAttributes) {
  auto filter_error = [](std::string_view text) {
    AttributeValues vals = values(R"({":v":{"N":"1"}})");
    RequestExpressions in;
    in.filter = text;
    in.values = &vals;
    PreparedExpressions ex = prepare_expressions(in);
    return error_of(
        [&] { check_filter_excludes_keys(*ex.filter, kSchema, "Filter Expression"); });
  };
  EXPECT_EQ(filter_error("x = :v OR size(sk.a) > :v"),
            "Filter Expression can only contain non-primary key attributes: Primary key "
            "attribute: sk");
  EXPECT_EQ(filter_error("sk = :v AND NOT pk = :v"),
            "Filter Expression can only contain non-primary key attributes: Primary key "
            "attribute: pk");
  EXPECT_EQ(filter_error("x.pk = :v AND attribute_exists(skx)"), "");
}

// A GSI key of two HASH attributes (pk, p2) and three RANGE ones (sk, s2, s3).
KeySchema multi_schema() {
  KeySchema k{"pk", model::Type::S, "sk", model::Type::N, {}, {}};
  k.more_partition_keys = {{"p2", model::Type::N}};
  k.more_sort_keys = {{"s2", model::Type::S}, {"s3", model::Type::N}};
  return k;
}

TEST(KeyCondition, MultiAttributeKeys) {
  const KeySchema multi = multi_schema();
  KeyCondition kc = key_condition("p2 = :lo AND pk = :p", multi);
  EXPECT_EQ(kc.partition_value, test_util::value(R"({"S":"user"})"));
  ASSERT_EQ(kc.more_partition_values.size(), 1u);
  EXPECT_EQ(kc.more_partition_values[0], test_util::value(R"({"N":"1"})"));
  EXPECT_FALSE(kc.sort);
  EXPECT_TRUE(kc.sort_prefix.empty());

  kc = key_condition("pk = :p AND p2 = :lo AND s2 = :s AND sk = :hi AND s3 > :lo", multi);
  ASSERT_EQ(kc.sort_prefix.size(), 2u);
  EXPECT_EQ(kc.sort_prefix[0], test_util::value(R"({"N":"5"})"));
  EXPECT_EQ(kc.sort_prefix[1], test_util::value(R"({"S":"x"})"));
  ASSERT_TRUE(kc.sort);
  EXPECT_EQ(kc.sort->attribute, "s3");
  EXPECT_EQ(kc.sort->op, SortKeyCondition::Op::kGt);

  kc = key_condition("pk = :p AND p2 = :lo AND sk = :hi AND begins_with(s2, :s)", multi);
  ASSERT_EQ(kc.sort_prefix.size(), 1u);
  EXPECT_EQ(kc.sort->op, SortKeyCondition::Op::kBeginsWith);
}

TEST(KeyCondition, MultiAttributeKeyErrors) {
  const KeySchema multi = multi_schema();
  auto error = [&](std::string_view text) {
    return error_of([&] { key_condition(text, multi); });
  };
  EXPECT_EQ(error("pk = :p"), "Query condition missed key schema element: p2");
  EXPECT_EQ(error("pk = :p AND p2 > :lo"), "Query key condition not supported");
  EXPECT_EQ(error("pk = :p AND p2 = :lo AND s2 = :s"),
            "Query condition missed key schema element: sk");
  EXPECT_EQ(error("pk = :p AND p2 = :lo AND sk = :lo AND s3 = :hi"),
            "Query condition missed key schema element: s2");
  EXPECT_EQ(error("pk = :p AND p2 = :lo AND sk > :lo AND s2 = :s"),
            "Query key condition not supported");
  EXPECT_EQ(error("pk = :p AND p2 = :lo AND extra = :s"),
            "Query condition missed key schema element: sk");
  EXPECT_EQ(
      error("pk = :p AND p2 = :lo AND s2 = :lo AND sk = :lo"),
      "One or more parameter values were invalid: Condition parameter type does not "
      "match schema type");
  // More than two conditions stay refused on a key of two attributes.
  EXPECT_EQ(error_of([] { key_condition("pk = :p AND sk = :lo AND x = :hi"); }),
            "Conditions can be of length 1 or 2 only");
}

}  // namespace
}  // namespace jormun::expr
