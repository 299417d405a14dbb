#include <gtest/gtest.h>

#include "model/key_codec.h"
#include "storage/key_range.h"

namespace jormun::storage {
namespace {

using model::AttributeValue;
using Op = SortKeyRange::Op;

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }
AttributeValue N(std::string_view s) { return AttributeValue(model::Decimal::parse(s)); }

KeyRange sort_condition(Op op, std::vector<AttributeValue> values) {
  return KeyRange{S("p"), SortKeyRange{op, std::move(values)}, {}, {}};
}

std::string base(const AttributeValue& pk, const AttributeValue& sk) {
  return model::base_key(pk, &sk);
}

TEST(KeyRangeTest, ContainsFollowsTheSortKeyCondition) {
  auto kc = sort_condition(Op::kGt, {N("10")});
  host::RangeSpec r = query_range(S("p"), kc.sort, false);
  EXPECT_FALSE(contains(r, base(S("p"), N("3"))));
  EXPECT_FALSE(contains(r, base(S("p"), N("10"))));
  EXPECT_TRUE(contains(r, base(S("p"), N("10.5"))));
  // Another partition is outside the prefix whatever its sort key.
  EXPECT_FALSE(contains(r, base(S("q"), N("11"))));
}

TEST(KeyRangeTest, ContainsOnDelimitedIndexKeys) {
  auto kc = sort_condition(Op::kLe, {S("m")});
  host::RangeSpec r = query_range(S("p"), kc.sort, true);
  AttributeValue at = S("m"), past = S("ma"), pk = S("x"), sk = N("1");
  EXPECT_TRUE(contains(r, model::index_key(S("p"), &at, pk, &sk)));
  EXPECT_FALSE(contains(r, model::index_key(S("p"), &past, pk, &sk)));
}

// Equalities on the leading RANGE attributes of a multi-attribute key fix
// a prefix of the sort key tuple; the last condition ranges within it.
TEST(KeyRangeTest, MultiAttributeSortPrefix) {
  KeyRange key{S("p"), SortKeyRange{Op::kLe, {N("5")}}, {N("2")}, {S("a")}};
  host::RangeSpec r = query_range(key, true);
  AttributeValue p = S("p"), two = N("2"), a = S("a"), b = S("b"), pk = S("x");
  auto entry = [&](const AttributeValue& first, const AttributeValue& second) {
    const AttributeValue* ipk[] = {&p, &two};
    const AttributeValue* isk[] = {&first, &second};
    return model::index_key(model::KeyTuple(ipk), model::KeyTuple(isk), pk, nullptr);
  };
  EXPECT_TRUE(contains(r, entry(a, N("5"))));
  EXPECT_TRUE(contains(r, entry(a, N("-1"))));
  EXPECT_FALSE(contains(r, entry(a, N("5.5"))));
  EXPECT_FALSE(contains(r, entry(b, N("1"))));
  // The partition is the whole tuple of HASH values.
  const AttributeValue* other[] = {&p, &a};
  const AttributeValue* isk[] = {&a, &two};
  EXPECT_FALSE(contains(
      r, model::index_key(model::KeyTuple(other), model::KeyTuple(isk), pk, nullptr)));
}

TEST(KeyRangeTest, StartAfterNarrowsButNeverWidens) {
  auto kc = sort_condition(Op::kGt, {N("10")});
  host::RangeSpec r = query_range(S("p"), kc.sort, false);
  host::RangeSpec before = r;
  // A start key below the condition's bound leaves the bound as it was.
  start_after(r, base(S("p"), N("3")));
  EXPECT_EQ(r.lower->key, before.lower->key);
  EXPECT_EQ(r.lower->inclusive, before.lower->inclusive);
  // Inside it, the page starts after the key.
  std::string inside = base(S("p"), N("12"));
  start_after(r, inside);
  EXPECT_EQ(r.lower->key, inside);
  EXPECT_FALSE(r.lower->inclusive);
  EXPECT_EQ(r.upper->key, before.upper->key);
}

TEST(KeyRangeTest, StartAfterMovesTheUpperBoundWhenReversed) {
  auto kc = sort_condition(Op::kLt, {N("10")});
  host::RangeSpec r = query_range(S("p"), kc.sort, false);
  r.reverse = true;
  std::string above = base(S("p"), N("20"));
  start_after(r, above);
  EXPECT_EQ(r.upper->key, base(S("p"), N("10")));
  std::string inside = base(S("p"), N("5"));
  start_after(r, inside);
  EXPECT_EQ(r.upper->key, inside);
  EXPECT_FALSE(r.upper->inclusive);
}

TEST(KeyRangeTest, StartAfterSegmentStart) {
  host::RangeSpec r = segment_range(1, 2);
  std::string lower = r.lower->key;
  start_after(r, std::string(4, '\0'));  // below the segment
  EXPECT_EQ(r.lower->key, lower);
  EXPECT_TRUE(r.lower->inclusive);
  // At the segment's own inclusive start: the key itself is now excluded.
  start_after(r, lower);
  EXPECT_EQ(r.lower->key, lower);
  EXPECT_FALSE(r.lower->inclusive);
}

}  // namespace
}  // namespace jormun::storage
