// A request's JSON to attribute values, as PutItem reads its Item: the body
// is checked and parsed as the service does (UTF-8, then RapidJSON's
// iterative parser), then converted with parse_item. Bad input must be an
// ApiError; a good item must survive the JSON writer and the item codec
// unchanged.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/utf8.h"
#include "common/api_error.h"
#include "fuzz_check.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"

using namespace jormun;

namespace {

std::string to_json(const model::Item& item) {
  rapidjson::StringBuffer buffer;
  model::JsonWriter writer(buffer);
  model::write_item(item, writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  if (!api::is_valid_utf8(body)) return 0;
  rapidjson::Document doc;
  doc.ParseInsitu<rapidjson::kParseIterativeFlag>(body.data());
  if (doc.HasParseError()) return 0;
  model::Item item;
  try {
    item = model::parse_item(doc);
  } catch (const ApiError&) {
    return 0;
  }
  const std::string json = to_json(item);
  rapidjson::Document reparsed;
  reparsed.Parse<rapidjson::kParseIterativeFlag>(json.c_str());
  fuzz::check(!reparsed.HasParseError(), "write_item wrote invalid JSON", json);
  model::Item again;
  try {
    again = model::parse_item(reparsed);
  } catch (const ApiError& e) {
    fuzz::fail("write_item wrote an item parse_item refuses", json, e.what());
  }
  fuzz::check(again == item, "JSON round trip changed the item", json, to_json(again));
  const std::string stored = model::encode_item(item);
  fuzz::check(model::decode_item(stored) == item, "item codec round trip changed the item",
              json);
  fuzz::check(model::stored_item_size(stored) == model::item_size(item),
              "stored_item_size differs from item_size", json);
  return 0;
}
