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

TEST(AttributeValue, NestedCopiesCompareEqual) {
  Map m;
  m["a"] = AttributeValue(List{AttributeValue(std::string("x")), AttributeValue(Null{})});
  AttributeValue v(m);
  AttributeValue copy = v;
  EXPECT_EQ(v, copy);
  copy.as<Map>()["b"] = AttributeValue(false);
  EXPECT_FALSE(v == copy);
}

}  // namespace
}  // namespace jormun::model
