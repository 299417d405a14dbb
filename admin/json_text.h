// Small JSON texts jormun-admin builds for its requests and lines.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace jormun::admin {

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);
// `value` written as compact JSON.
std::string json_text(const rapidjson::Value& value);
// Appends `value` as compact JSON to `out`.
void append_json(const rapidjson::Value& value, std::string& out);

}  // namespace jormun::admin
