#include "model/attribute_json.h"

#include <gtest/gtest.h>

#include <string>

#include "common/api_error.h"
#include "model/nesting.h"

namespace jormun::model {
namespace {

rapidjson::Document json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

AttributeValue parse(const std::string& text) {
  return parse_attribute_value(json(text));
}

std::string write(const AttributeValue& v) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_attribute_value(v, w);
  return buffer.GetString();
}

// "Type: message" of the ApiError parsing `text` throws, or "" if none.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ApiError& e) {
    return e.type() + ": " + e.message();
  }
  return "";
}

const std::string kInvalid =
    "ValidationException: One or more parameter values were invalid: ";

TEST(AttributeJson, ParsesEveryType) {
  EXPECT_EQ(parse(R"({"S":"x"})"), AttributeValue(std::string("x")));
  EXPECT_EQ(parse(R"({"S":""})"), AttributeValue(std::string()));
  EXPECT_EQ(parse(R"({"N":"-01.50"})"), AttributeValue(Decimal::parse("-1.5")));
  EXPECT_EQ(parse(R"({"B":"YWJj"})"), AttributeValue(Binary{"abc"}));
  EXPECT_EQ(parse(R"({"B":""})"), AttributeValue(Binary{""}));
  EXPECT_EQ(parse(R"({"BOOL":false})"), AttributeValue(false));
  EXPECT_EQ(parse(R"({"NULL":true})"), AttributeValue(Null{}));
  EXPECT_EQ(parse(R"({"SS":["b","a",""]})"), AttributeValue(StringSet{{"", "a", "b"}}));
  EXPECT_EQ(parse(R"({"NS":["10","9","-1e2"]})"),
            AttributeValue(NumberSet{
                {Decimal::parse("-100"), Decimal::parse("9"), Decimal::parse("10")}}));
  EXPECT_EQ(parse(R"({"BS":["Yg==","YQ=="]})"), AttributeValue(BinarySet{{"a", "b"}}));
  EXPECT_EQ(parse(R"({"L":[]})"), AttributeValue(List{}));
  EXPECT_EQ(parse(R"({"M":{}})"), AttributeValue(Map{}));
  Map m;
  m["k"] = AttributeValue(List{AttributeValue(true), AttributeValue(std::string("s"))});
  EXPECT_EQ(parse(R"({"M":{"k":{"L":[{"BOOL":true},{"S":"s"}]}}})"), AttributeValue(m));
}

TEST(AttributeJson, IgnoresUnknownMembersAndNulls) {
  EXPECT_EQ(parse(R"({"S":"x","Q":1})"), AttributeValue(std::string("x")));
  EXPECT_EQ(parse(R"({"N":null,"S":"x"})"), AttributeValue(std::string("x")));
  // Coral reads these strings as booleans.
  EXPECT_EQ(parse(R"({"BOOL":"yes"})"), AttributeValue(true));
  EXPECT_EQ(parse(R"({"BOOL":"False"})"), AttributeValue(false));
  EXPECT_EQ(parse(R"({"NULL":"1"})"), AttributeValue(Null{}));
}

TEST(AttributeJson, DatatypeCountErrors) {
  const std::string empty =
      "ValidationException: Supplied AttributeValue is empty, must contain exactly one "
      "of "
      "the supported datatypes";
  for (const char* text : {R"({})", R"({"a":""})", R"({"S":null})", R"({"M":{"a":{}}})",
                           R"({"L":[{}]})", R"({"L":[{"a":{}}]})", R"({"L":[null]})"}) {
    EXPECT_EQ(error_of(text), empty) << text;
  }
  EXPECT_EQ(
      error_of(R"({"S":"a","N":"1"})"),
      "ValidationException: Supplied AttributeValue has more than one datatypes set, "
      "must contain exactly one of the supported datatypes");
  // Each datatype is validated before they are counted.
  EXPECT_EQ(
      error_of(R"({"S":"a","N":"b"})"),
      "ValidationException: The parameter cannot be converted to a numeric value: b");
  EXPECT_EQ(error_of(R"({"S":"a","N":""})"),
            "ValidationException: The parameter cannot be converted to a numeric value");
}

TEST(AttributeJson, ValueErrors) {
  EXPECT_EQ(error_of(R"({"NULL":false})"),
            kInvalid + "Null attribute value types must have the value of true");
  EXPECT_EQ(error_of(R"({"NULL":"no"})"),
            kInvalid + "Null attribute value types must have the value of true");
  EXPECT_EQ(error_of(R"({"SS":[]})"), kInvalid + "An string set  may not be empty");
  EXPECT_EQ(error_of(R"({"NS":[]})"), kInvalid + "An number set  may not be empty");
  EXPECT_EQ(error_of(R"({"BS":[]})"), kInvalid + "Binary sets should not be empty");
  EXPECT_EQ(error_of(R"({"SS":["a","a"]})"),
            kInvalid + "Input collection [a, a] contains duplicates.");
  EXPECT_EQ(error_of(R"({"SS":["a","b","a"]})"),
            kInvalid + "Input collection [a, b, a] contains duplicates.");
  EXPECT_EQ(error_of(R"({"BS":["Yg==","Yg=="]})"),
            kInvalid + "Input collection [Yg==, Yg==]of type BS contains duplicates.");
  EXPECT_EQ(error_of(R"({"NS":["1","1.0"]})"),
            "ValidationException: Input collection contains duplicates");
  EXPECT_EQ(error_of(R"({"NS":["1",""]})"),
            "ValidationException: The parameter cannot be converted to a numeric value");
  EXPECT_EQ(
      error_of(R"({"NS":["1","b"]})"),
      "ValidationException: The parameter cannot be converted to a numeric value: b");
  EXPECT_EQ(error_of(R"({"N":"1e126"})"),
            "ValidationException: Number overflow. Attempting to store a number with "
            "magnitude larger than supported range");
  EXPECT_EQ(error_of(R"({"M":{"x":{"SS":[]}}})"),
            kInvalid + "An string set  may not be empty");
  EXPECT_EQ(error_of(R"({"L":[{"S":"ok"},{"NULL":false}]})"),
            kInvalid + "Null attribute value types must have the value of true");
}

TEST(AttributeJson, SerializationErrors) {
  const std::string s = "SerializationException: ";
  const std::string number =
      "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
  EXPECT_EQ(error_of(R"({"S":true})"),
            s + "class java.lang.Boolean can not be converted to an String");
  EXPECT_EQ(error_of(R"({"S":1})"), s + number + " can not be converted to an String");
  EXPECT_EQ(error_of(R"({"N":1.5})"), s + number + " can not be converted to an String");
  EXPECT_EQ(error_of(R"({"S":[]})"), s + "Start of list found where not expected");
  EXPECT_EQ(error_of(R"({"S":{}})"),
            s + "Start of structure or map found where not expected.");
  EXPECT_EQ(error_of(R"({"B":false})"),
            s + "class java.lang.Boolean can not be converted to a Blob");
  EXPECT_EQ(error_of(R"({"B":2})"), s + number + " can not be converted to a Blob");
  EXPECT_EQ(
      error_of(R"({"B":"abc"})"),
      s + "'abc' can not be converted to a Blob: Base64 encoded length is expected a "
          "multiple of 4 bytes but found: 3");
  EXPECT_EQ(error_of(R"({"B":"ab!d"})"),
            s + "'ab!d' can not be converted to a Blob: Invalid Base64 character: '!'");
  EXPECT_EQ(error_of(R"({"BS":["Yh=="]})"),
            s + "'Yh==' can not be converted to a Blob: Invalid last non-pad Base64 "
                "character dectected");
  EXPECT_EQ(error_of(R"({"BOOL":1})"),
            s + number + " can not be converted to an Boolean");
  EXPECT_EQ(error_of(R"({"NULL":"hello"})"),
            s + "'HELLO' can not be converted to an Boolean");
  EXPECT_EQ(error_of(R"({"SS":"a"})"), s + "Expected list or null");
  EXPECT_EQ(error_of(R"({"SS":{}})"),
            s + "Start of structure or map found where not expected.");
  EXPECT_EQ(error_of(R"({"SS":[1]})"), s + number + " can not be converted to an String");
  EXPECT_EQ(error_of(R"({"M":[]})"), s + "Start of list found where not expected");
  EXPECT_EQ(error_of(R"({"M":"x"})"), s + "Expected map or null");
  EXPECT_EQ(error_of(R"({"L":[1]})"), s + "Expected null");
  EXPECT_EQ(error_of(R"("x")"), s + "Expected null");
  EXPECT_EQ(error_of(R"([])"), s + "Start of list found where not expected");
  // The whole value's shape is checked before any of it is validated.
  EXPECT_EQ(error_of(R"({"L":[{"NULL":false},{"S":5}]})"),
            s + number + " can not be converted to an String");
}

// `wraps` lists and maps, alternating, around {"S":"x"}: wraps + 1 levels.
std::string nested(int wraps, const std::string& leaf = R"({"S":"x"})") {
  std::string open, close;
  for (int i = 0; i < wraps; ++i) {
    open += i % 2 ? R"({"L":[)" : R"({"M":{"k":)";
    close = (i % 2 ? "]}" : "}}") + close;
  }
  return open + leaf + close;
}

const std::string kTooDeep = std::string("ValidationException: ") + kNestingTooDeep;

TEST(AttributeJson, KeepsThirtyTwoLevelsAndRefusesThirtyThree) {
  EXPECT_EQ(error_of(nested(31)), "");
  EXPECT_EQ(error_of(nested(32)), kTooDeep);
  EXPECT_EQ(error_of(nested(32, R"({"L":[]})")), kTooDeep);
  // Each attribute of an item starts at level 1.
  EXPECT_NO_THROW(
      parse_item(json(R"({"a":)" + nested(31) + R"(,"b":)" + nested(31) + "}")));
  try {
    parse_item(json(R"({"a":{"S":"x"},"b":)" + nested(32) + "}"));
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type() + ": " + e.message(), kTooDeep);
  }
}

// The limit is checked on the way down, so nothing past it is looked at and
// neither pass recurses deeper than the limit, however deep the JSON.
TEST(AttributeJson, NestingIsCheckedBeforeDeeperShapes) {
  EXPECT_EQ(error_of(nested(32, R"({"S":5})")), kTooDeep);
  EXPECT_EQ(error_of(nested(31, R"({"S":5})")),
            "SerializationException: "
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be "
            "converted to an String");
  const int kLevels = 100000;
  std::string deep;
  for (int i = 0; i < kLevels; ++i) deep += R"({"L":[)";
  for (int i = 0; i < kLevels; ++i) deep += "]}";
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(deep.c_str(), deep.size());
  ASSERT_FALSE(d.HasParseError());
  try {
    parse_attribute_value(d);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.message(), kNestingTooDeep);
  }
}

TEST(AttributeJson, ParseItem) {
  Item item = parse_item(json(R"({"a":{"S":"x"},"b":{"N":"2"}})"));
  ASSERT_EQ(item.size(), 2u);
  EXPECT_EQ(item["b"], AttributeValue(Decimal::parse("2")));
  EXPECT_TRUE(parse_item(json("{}")).empty());
  EXPECT_THROW(parse_item(json(R"({"a":{}})")), ApiError);
  try {
    parse_item(json(R"({"a":{"NULL":false},"b":{"S":1}})"));
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "SerializationException");
  }
  try {
    parse_item(json(R"([])"));
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.message(), "Start of list found where not expected");
  }
}

TEST(AttributeJson, WritesCanonicalJson) {
  EXPECT_EQ(write(parse(R"({"N":"1.50e3"})")), R"({"N":"1500"})");
  EXPECT_EQ(write(parse(R"({"N":"-0.0"})")), R"({"N":"0"})");
  EXPECT_EQ(write(AttributeValue(Binary{std::string("\0\xFF", 2)})), R"({"B":"AP8="})");
  EXPECT_EQ(write(parse(R"({"NS":["10","9"]})")), R"({"NS":["9","10"]})");
  EXPECT_EQ(write(parse(R"({"SS":["b","a"]})")), R"({"SS":["a","b"]})");
  EXPECT_EQ(write(parse(R"({"BS":["Yg==","YQ=="]})")), R"({"BS":["YQ==","Yg=="]})");
  EXPECT_EQ(write(AttributeValue(Null{})), R"({"NULL":true})");
  EXPECT_EQ(write(AttributeValue(std::string("a\0b", 3))), "{\"S\":\"a\\u0000b\"}");
  const std::string nested =
      R"({"M":{"a":{"L":[{"BOOL":true},{"M":{}},{"L":[]},{"S":""}]},"b":{"NULL":true}}})";
  EXPECT_EQ(write(parse(nested)), nested);
  Item item = parse_item(json(R"({"z":{"S":"1"},"a":{"BOOL":false}})"));
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_item(item, w);
  EXPECT_STREQ(buffer.GetString(), R"({"a":{"BOOL":false},"z":{"S":"1"}})");
}

}  // namespace
}  // namespace jormun::model
