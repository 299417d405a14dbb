#include "admin/export_line.h"

#include <rapidjson/error/en.h>

#include "admin/json_text.h"
#include "common/api_error.h"
#include "model/attribute_json.h"

namespace jormun::admin {
namespace {

void check_key_part(const rapidjson::Value& item, const KeyPart& part) {
  auto m = item.FindMember(part.name.c_str());
  if (m == item.MemberEnd())
    throw BadLine("the item has no key attribute '" + part.name + "'");
  const rapidjson::Value& v = m->value;
  if (!v.IsObject() || v.MemberCount() != 1 || !v.HasMember(part.type.c_str()))
    throw BadLine("key attribute '" + part.name + "' must be of type " + part.type);
  const rapidjson::Value& scalar = v.MemberBegin()->value;
  if (part.type != "N" && scalar.IsString() && scalar.GetStringLength() == 0)
    throw BadLine("key attribute '" + part.name + "' is an empty " + part.type);
}

}  // namespace

bool is_blank_line(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

const rapidjson::Value& parse_export_line(std::string_view line, const TableInfo& table,
                                          rapidjson::Document& doc) {
  doc.Parse(line.data(), line.size());
  if (doc.HasParseError())
    throw BadLine(std::string("not JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) +
                  " at column " + std::to_string(doc.GetErrorOffset() + 1));
  if (!doc.IsObject()) throw BadLine("expected {\"Item\": {...}}, got another JSON value");
  auto item = doc.FindMember("Item");
  if (item == doc.MemberEnd() || !item->value.IsObject())
    throw BadLine("expected {\"Item\": {...}}: no \"Item\" object");
  if (doc.MemberCount() != 1)
    throw BadLine("expected {\"Item\": {...}}: members other than \"Item\"");
  try {
    model::parse_item(item->value);
  } catch (const ApiError& e) {
    throw BadLine(e.message());
  }
  check_key_part(item->value, table.hash);
  if (table.range) check_key_part(item->value, *table.range);
  return item->value;
}

std::string key_text(const rapidjson::Value& item, const TableInfo& table) {
  std::string out = "{" + json_string(table.hash.name) + ":";
  append_json(item[table.hash.name.c_str()], out);
  if (table.range) {
    out += "," + json_string(table.range->name) + ":";
    append_json(item[table.range->name.c_str()], out);
  }
  out += '}';
  return out;
}

void append_export_line(const rapidjson::Value& item, std::string& out) {
  out += "{\"Item\":";
  append_json(item, out);
  out += "}\n";
}

}  // namespace jormun::admin
