// Helpers shared by the expr_*_test.cc files: items and values written in
// DynamoDB's JSON, and capturing the message of a ValidationException.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "common/api_error.h"
#include "expr/resolver.h"
#include "model/attribute_json.h"

namespace jormun::expr::test_util {

inline rapidjson::Document json(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

// An item from DynamoDB JSON: item(R"({"a":{"N":"1"}})").
inline model::Item item(std::string_view text) { return model::parse_item(json(text)); }

// A value from DynamoDB JSON: value(R"({"S":"x"})").
inline model::AttributeValue value(std::string_view text) {
  return model::parse_attribute_value(json(text));
}

// ExpressionAttributeValues from a JSON object of :name -> value.
inline AttributeValues values(std::string_view text) {
  AttributeValues out;
  for (auto& [k, v] : item(text)) out.emplace(k, v);
  return out;
}

// The item in DynamoDB JSON, for readable comparisons.
inline std::string to_json(const model::Item& item) {
  rapidjson::StringBuffer buffer;
  model::JsonWriter w(buffer);
  model::write_item(item, w);
  return buffer.GetString();
}

// The message of the ValidationException `f` throws, or "" if it throws none.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "ValidationException") << e.message();
    return e.message();
  }
  return "";
}

}  // namespace jormun::expr::test_util
