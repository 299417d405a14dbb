// DynamoDB's JSON form of attribute values ({"S":"x"}, {"N":"1"}, {"B":"base64"}...)
// to and from the tree form, with DynamoDB's validation messages.
#pragma once

#include <rapidjson/document.h>

#include "common/json_writer.h"
#include "model/attribute_value.h"

namespace jormun::model {

using JsonWriter = jormun::JsonWriter;

// Throws ApiError (ValidationException or SerializationException, as DynamoDB
// does) for malformed values: empty descriptor, two descriptors, wrong JSON
// type, bad number, bad base64, empty or duplicate sets, nesting past
// kMaxNestingLevels (model/nesting.h). Recursion is bounded by that limit, so
// any parsed JSON is safe to pass.
AttributeValue parse_attribute_value(const rapidjson::Value& json);
// An object of attribute name -> value; each value is a top-level attribute.
Item parse_item(const rapidjson::Value& json);

void write_attribute_value(const AttributeValue& v, JsonWriter& w);
void write_item(const Item& item, JsonWriter& w);
// Writes an item straight from its stored form (model/item_codec.h), without
// building the tree: the read path of GetItem, Query and Scan when nothing
// needs the item's values. Throws std::runtime_error on corrupt bytes.
void write_stored_item(std::string_view stored, JsonWriter& w);
// The same, returning the item's size (model/item_size.h) counted in the same
// decoding pass.
size_t write_stored_item_sized(std::string_view stored, JsonWriter& w);

}  // namespace jormun::model
