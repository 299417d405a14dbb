#include "admin/json_text.h"

#include "common/json_writer.h"

namespace jormun::admin {

std::string json_string(std::string_view text) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

void append_json(const rapidjson::Value& value, std::string& out) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  value.Accept(w);
  out.append(buffer.GetString(), buffer.GetSize());
}

std::string json_text(const rapidjson::Value& value) {
  std::string out;
  append_json(value, out);
  return out;
}

}  // namespace jormun::admin
