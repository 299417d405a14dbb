#include "model/item_size.h"

#include <gtest/gtest.h>

namespace jormun::model {
namespace {

size_t number(std::string_view text) {
  return value_size(AttributeValue(Decimal::parse(text)));
}

TEST(ItemSize, Scalars) {
  EXPECT_EQ(value_size(AttributeValue(std::string("abc"))), 3u);
  EXPECT_EQ(value_size(AttributeValue(std::string("\xC3\xA9"))), 2u);  // UTF-8 bytes
  EXPECT_EQ(value_size(AttributeValue(std::string())), 0u);
  EXPECT_EQ(value_size(AttributeValue(Binary{"\x01\x02\x03\x04"})), 4u);
  EXPECT_EQ(value_size(AttributeValue(true)), 1u);
  EXPECT_EQ(value_size(AttributeValue(Null{})), 1u);
}

TEST(ItemSize, Numbers) {
  EXPECT_EQ(number("0"), 1u);
  EXPECT_EQ(number("27"), 2u);
  EXPECT_EQ(number("-27"), 3u);
  EXPECT_EQ(number("461"), 3u);
  EXPECT_EQ(number("1"), 2u);
  EXPECT_EQ(number("100"), 2u);      // 01|00: the zero pair is dropped
  EXPECT_EQ(number("1000"), 2u);     // 10|00
  EXPECT_EQ(number("10100"), 3u);    // 01|01|00
  EXPECT_EQ(number("12.5"), 3u);     // 12|.50
  EXPECT_EQ(number("1.5"), 3u);      // 01|.50
  EXPECT_EQ(number("0.05"), 2u);     // .05
  EXPECT_EQ(number("0.005"), 2u);    // .00|50
  EXPECT_EQ(number("-0.0505"), 4u);  // .05|05, negative
  EXPECT_EQ(number("1786461547"), 6u);
  // 38 digits: at most 20 pairs.
  EXPECT_EQ(number("12345678901234567890123456789012345678"), 20u);
  EXPECT_EQ(number("1.2345678901234567890123456789012345678"), 21u);
  EXPECT_EQ(
      value_size(AttributeValue(NumberSet{{Decimal::parse("27"), Decimal::parse("-1")}})),
      5u);
}

TEST(ItemSize, SetsListsMaps) {
  EXPECT_EQ(value_size(AttributeValue(StringSet{{"ab", "cde"}})), 5u);
  EXPECT_EQ(value_size(AttributeValue(BinarySet{{"a", "bb"}})), 3u);
  EXPECT_EQ(value_size(AttributeValue(List{})), 3u);
  EXPECT_EQ(value_size(AttributeValue(Map{})), 3u);
  // 3 + (1 + 3) + (1 + 1)
  EXPECT_EQ(value_size(AttributeValue(
                List{AttributeValue(std::string("abc")), AttributeValue(false)})),
            9u);
  // 3 + (1 + len("key") + 2)
  Map m;
  m["key"] = AttributeValue(std::string("xy"));
  EXPECT_EQ(value_size(AttributeValue(m)), 9u);
}

TEST(ItemSize, Item) {
  Item item;
  item["id"] = AttributeValue(std::string("abc"));          // 2 + 3
  item["n"] = AttributeValue(Decimal::parse("27"));         // 1 + 2
  item["\xC3\xA9"] = AttributeValue(Null{});                // 2 + 1
  item["l"] = AttributeValue(List{AttributeValue(Map{})});  // 1 + 3 + (1 + 3)
  EXPECT_EQ(item_size(item), 5u + 3u + 3u + 8u);
  EXPECT_EQ(item_size(Item{}), 0u);
}

}  // namespace
}  // namespace jormun::model
