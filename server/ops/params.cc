#include "ops/params.h"

#include "common/api_error.h"

namespace jormun::ops {
namespace {

// The token name DynamoDB's JSON reader uses for a value it did not expect.
const char* token_name(const rapidjson::Value& v) {
  if (v.IsString()) return "STRING_VALUE";
  if (v.IsNumber()) return "NUMBER_VALUE";
  if (v.IsTrue()) return "TRUE_VALUE";
  if (v.IsFalse()) return "FALSE_VALUE";
  return "VALUE";
}

[[noreturn]] void wrong_type(const rapidjson::Value& v, const char* expected) {
  if (v.IsObject())
    throw ApiError::serialization("Start of structure or map found where not expected.");
  if (v.IsArray()) throw ApiError::serialization("Start of list found where not expected");
  throw ApiError::serialization(std::string(token_name(v)) + " cannot be converted to " +
                                expected);
}

const rapidjson::Value* find(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

bool valid_table_name_chars(std::string_view s) {
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

// What Java's String.length() gives for UTF-8 text: every character is one
// code unit, except those outside the BMP (4-byte sequences), which are two.
size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;  // not a continuation byte
    if (c >= 0xF0) ++n;           // the lead byte of a surrogate pair
  }
  return n;
}

}  // namespace

bool is_table_name(std::string_view name) {
  return name.size() >= 3 && name.size() <= 255 && valid_table_name_chars(name);
}

std::string lower_first(std::string_view name) {
  std::string s(name);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

Params::Params(const rapidjson::Value& request) : request_(request) {
  if (!request.IsObject()) throw ApiError::serialization("Start of list found where not expected");
}

std::string_view Params::string_at(const rapidjson::Value& v) {
  if (!v.IsString()) wrong_type(v, "String");
  return {v.GetString(), v.GetStringLength()};
}

int64_t Params::integer_at(const rapidjson::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsNumber()) throw ApiError::serialization("NUMBER_VALUE cannot be converted to Long");
  wrong_type(v, "Long");
}

void Params::expect_object(const rapidjson::Value& v) {
  if (!v.IsObject()) {
    if (v.IsArray()) throw ApiError::serialization("Start of list found where not expected");
    throw ApiError::serialization("Unexpected value type in payload");
  }
}

void Params::expect_list(const rapidjson::Value& v) {
  if (!v.IsArray()) {
    if (v.IsObject())
      throw ApiError::serialization("Start of structure or map found where not expected.");
    throw ApiError::serialization("Unexpected value type in payload");
  }
}

std::optional<std::string_view> Params::string(const char* name) const {
  const rapidjson::Value* v = find(request_, name);
  if (!v) return std::nullopt;
  return string_at(*v);
}

std::optional<int64_t> Params::integer(const char* name) const {
  const rapidjson::Value* v = find(request_, name);
  if (!v) return std::nullopt;
  return integer_at(*v);
}

std::optional<bool> Params::boolean(const char* name) const {
  const rapidjson::Value* v = find(request_, name);
  if (!v) return std::nullopt;
  if (!v->IsBool()) wrong_type(*v, "Boolean");
  return v->GetBool();
}

std::optional<double> Params::timestamp(const char* name) const {
  const rapidjson::Value* v = find(request_, name);
  if (!v) return std::nullopt;
  if (!v->IsNumber()) throw ApiError::serialization("Unexpected value type in payload");
  return v->GetDouble();
}

const rapidjson::Value* Params::object(const char* name) const {
  const rapidjson::Value* v = find(request_, name);
  if (v) expect_object(*v);
  return v;
}

const rapidjson::Value* Params::list(const char* name) const {
  const rapidjson::Value* v = find(request_, name);
  if (v) expect_list(*v);
  return v;
}

std::string Params::table_name(const char* member) {
  std::optional<std::string_view> name = string(member);
  if (!name)
    throw ApiError::validation(std::string("The parameter '") + member +
                               "' is required but was not present in the request");
  if (name->size() < 3 || name->size() > 255)
    throw ApiError::validation(std::string(member) +
                               " must be at least 3 characters long and at most 255 "
                               "characters long");
  name_pattern(*name, lower_first(member));
  return std::string(*name);
}

std::string Params::item_table_name() {
  std::optional<std::string_view> name = string("TableName");
  not_null(name ? &*name : nullptr, "tableName");
  if (!name) return {};
  length_between(*name, "tableName", 1, 255);
  // An empty name breaks only the length rule, as DynamoDB reports it.
  if (!name->empty()) name_pattern(*name, "tableName");
  return std::string(*name);
}

void Params::length_between(std::string_view value, const std::string& path, size_t min,
                            size_t max) {
  size_t length = utf16_length(value);
  if (length < min)
    violation("'" + std::string(value) + "'", path,
              "Member must have length greater than or equal to " + std::to_string(min));
  if (length > max)
    violation("'" + std::string(value) + "'", path,
              "Member must have length less than or equal to " + std::to_string(max));
}

void Params::value_between(std::optional<int64_t> value, const std::string& path,
                           int64_t min, int64_t max) {
  if (value && *value < min)
    violation("'" + std::to_string(*value) + "'", path,
              "Member must have value greater than or equal to " + std::to_string(min));
  if (value && *value > max)
    violation("'" + std::to_string(*value) + "'", path,
              "Member must have value less than or equal to " + std::to_string(max));
}

void Params::name_pattern(std::string_view value, const std::string& path) {
  if (value.empty() || !valid_table_name_chars(value))
    violation("'" + std::string(value) + "'", path,
              "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

void Params::violation(const std::string& shown, const std::string& path,
                       const std::string& rule) {
  violations_.push_back("Value " + (shown.empty() ? "" : shown + " ") + "at '" + path +
                        "' failed to satisfy constraint: " + rule);
}

void Params::not_null(const void* present, const std::string& path) {
  if (!present) violation("null", path, "Member must not be null");
}

void Params::one_of(std::optional<std::string_view> value, const std::string& path,
                    const std::vector<std::string_view>& allowed) {
  if (!value) return;
  for (auto a : allowed)
    if (*value == a) return;
  std::string set;
  for (auto a : allowed) set += (set.empty() ? "" : ", ") + std::string(a);
  violation("'" + std::string(*value) + "'", path,
            "Member must satisfy enum value set: [" + set + "]");
}

void Params::check() {
  if (violations_.empty()) return;
  std::string msg = std::to_string(violations_.size()) +
                    (violations_.size() == 1 ? " validation error detected: "
                                             : " validation errors detected: ");
  for (size_t i = 0; i < violations_.size(); ++i) msg += (i ? "; " : "") + violations_[i];
  violations_.clear();
  throw ApiError::validation(msg);
}

}  // namespace jormun::ops
