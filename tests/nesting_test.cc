#include "model/nesting.h"

#include <gtest/gtest.h>

#include <string>

namespace jormun::model {
namespace {

// `levels` levels: lists and maps, alternating, around a string.
AttributeValue nested(int levels) {
  AttributeValue v(std::string("leaf"));
  for (int i = 1; i < levels; ++i) {
    if (i % 2) {
      List l;
      l.push_back(std::move(v));
      v = AttributeValue(std::move(l));
    } else {
      Map m;
      m.emplace("k", std::move(v));
      v = AttributeValue(std::move(m));
    }
  }
  return v;
}

TEST(Nesting, ThirtyTwoLevelsAreTheLimit) {
  EXPECT_FALSE(exceeds_nesting_limit(Item{{"a", nested(1)}}));
  EXPECT_FALSE(exceeds_nesting_limit(Item{{"a", nested(32)}, {"b", nested(32)}}));
  EXPECT_TRUE(exceeds_nesting_limit(Item{{"a", nested(1)}, {"b", nested(33)}}));
  // Far deeper is refused too. (Copying or destroying a value this deep
  // recurses through every level, so it is built in place and kept modest.)
  Item deep;
  deep.emplace("a", nested(1000));
  EXPECT_TRUE(exceeds_nesting_limit(deep));
  // Counted from the deepest value, not from the widest container.
  List wide(100, nested(31));
  wide.push_back(nested(32));
  EXPECT_TRUE(exceeds_nesting_limit(Item{{"a", AttributeValue(std::move(wide))}}));
}

}  // namespace
}  // namespace jormun::model
