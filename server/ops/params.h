// Reading an operation's request members the way DynamoDB validates them.
//
// DynamoDB checks in phases: JSON types first (SerializationException), then
// per-member constraints, collected and reported together as
//   "2 validation errors detected: Value null at 'keySchema' failed to
//    satisfy constraint: Member must not be null; Value ..."
// then the operation's own rules, one error at a time. Params does the first
// two phases; an operation calls its accessors in DynamoDB's member order,
// then check().
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jormun::ops {

class Params {
 public:
  // Throws SerializationException unless `request` is a JSON object.
  explicit Params(const rapidjson::Value& request);

  // Members by JSON type. Absent or JSON null gives nullopt / nullptr; a
  // member of the wrong JSON type throws SerializationException.
  std::optional<std::string_view> string(const char* name) const;
  std::optional<int64_t> integer(const char* name) const;
  std::optional<bool> boolean(const char* name) const;
  // A timestamp member (TimeRangeLowerBound, RestoreDateTime): epoch
  // seconds, fractions allowed, as the SDKs send them.
  std::optional<double> timestamp(const char* name) const;
  const rapidjson::Value* object(const char* name) const;
  const rapidjson::Value* list(const char* name) const;

  // The same checks for a value nested in the request (list elements,
  // struct members).
  static std::string_view string_at(const rapidjson::Value& v);
  static int64_t integer_at(const rapidjson::Value& v);
  static void expect_object(const rapidjson::Value& v);
  static void expect_list(const rapidjson::Value& v);

  // TableName: required, 3..255 characters of [a-zA-Z0-9_.-].
  std::string table_name(const char* member = "TableName");
  // TableName of a data-plane call (GetItem, PutItem, UpdateItem,
  // DeleteItem, Query, Scan), whose refusals are member constraints collected
  // with the others (check() reports them): not null, 1..255 characters,
  // [a-zA-Z0-9_.-]. Empty when absent.
  std::string item_table_name();

  // Adds "Value <shown> at '<path>' failed to satisfy constraint: <rule>";
  // with `shown` empty, "Value at '<path>' ...", as DynamoDB's newer
  // validation reports some members without echoing them.
  void violation(const std::string& shown, const std::string& path,
                 const std::string& rule);
  // Common rules, recorded as violations.
  void not_null(const void* present, const std::string& path);
  void one_of(std::optional<std::string_view> value, const std::string& path,
              const std::vector<std::string_view>& allowed);
  // Length of a string member in `min`..`max` characters (UTF-16 code units,
  // as DynamoDB counts).
  void length_between(std::string_view value, const std::string& path, size_t min,
                      size_t max);
  // A number member (Limit) in `min`..`max`, when given.
  void value_between(std::optional<int64_t> value, const std::string& path, int64_t min,
                     int64_t max);
  // The characters DynamoDB allows in table and index names: [a-zA-Z0-9_.-]+.
  void name_pattern(std::string_view value, const std::string& path);

  // Throws the collected violations as one ValidationException, if any.
  void check();

  const rapidjson::Value& json() const { return request_; }

 private:
  const rapidjson::Value& request_;
  std::vector<std::string> violations_;
};

// Whether `name` is a valid table name: 3..255 characters of [a-zA-Z0-9_.-].
bool is_table_name(std::string_view name);

// The JSON member name in camelCase as DynamoDB's messages show it.
std::string lower_first(std::string_view name);

}  // namespace jormun::ops
