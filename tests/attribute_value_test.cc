#include "model/attribute_value.h"

#include <gtest/gtest.h>

namespace jormun::model {
namespace {

TEST(AttributeValue, TypeFollowsAlternative) {
  EXPECT_EQ(AttributeValue(std::string("x")).type(), Type::S);
  EXPECT_EQ(AttributeValue(true).type(), Type::BOOL);
  EXPECT_EQ(AttributeValue().type(), Type::NULL_);
  EXPECT_STREQ(type_name(AttributeValue(List{}).type()), "L");
  EXPECT_STREQ(type_name(Type::NS), "NS");
}

TEST(AttributeValue, TypeNamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(Type::M); ++i) {
    auto t = static_cast<Type>(i);
    EXPECT_EQ(type_from_name(type_name(t)), t);
  }
  EXPECT_FALSE(type_from_name("s"));
  EXPECT_FALSE(type_from_name("NULL_"));
  EXPECT_FALSE(type_from_name(""));
}

TEST(AttributeValue, NestedCopiesCompareEqual) {
  Map m;
  m["a"] = AttributeValue(List{AttributeValue(std::string("x")), AttributeValue(Null{})});
  AttributeValue v(m);
  AttributeValue copy = v;
  EXPECT_EQ(v, copy);
  copy.as<Map>()["b"] = AttributeValue(false);
  EXPECT_FALSE(v == copy);
}

TEST(AttributeValue, CanonicalizeSortsByUnsignedBytesAndDropsDuplicates) {
  StringSet ss{{"b", "\xC3\xA9", "a", "b", "A"}};
  canonicalize(&ss);
  EXPECT_EQ(ss.items, (std::vector<std::string>{"A", "a", "b", "\xC3\xA9"}));
  BinarySet bs{{std::string("\x80", 1), std::string("\x01", 1), std::string("\x80", 1)}};
  canonicalize(&bs);
  EXPECT_EQ(bs.items, (std::vector<std::string>{"\x01", "\x80"}));
  NumberSet ns{{Decimal::parse("10"), Decimal::parse("9"), Decimal::parse("-1"),
                Decimal::parse("10.0")}};
  canonicalize(&ns);
  EXPECT_EQ(ns.items, (std::vector<Decimal>{Decimal::parse("-1"), Decimal::parse("9"),
                                            Decimal::parse("10")}));
}

}  // namespace
}  // namespace jormun::model
