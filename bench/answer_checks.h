// Checks that answers hold exactly what the benchmark wrote.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "items.h"

namespace jormun::bench {

// True if `item` (an Item map as DynamoDB returns it) is item `index` of a
// table of `shape`; else false with the reason in `problem`.
bool item_is(const rapidjson::Value& item, TableShape shape, uint64_t index,
             const ItemSet& items, std::string& problem);

// The string value of attribute `name` in a DynamoDB item map, or nullptr if
// it is absent or not a string.
const rapidjson::Value* string_attribute(const rapidjson::Value& item, const char* name);

// `value` as compact JSON text.
std::string to_json(const rapidjson::Value& value);

}  // namespace jormun::bench
