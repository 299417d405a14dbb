// Item and value sizes as DynamoDB computes them for the 400 KB item limit
// and the 1 MB page limit.
#pragma once

#include <cstddef>

#include "model/attribute_value.h"

namespace jormun::model {

inline constexpr size_t kMaxItemSize = 400 * 1024;

size_t value_size(const AttributeValue& v);
// Sum over attributes of UTF-8 name length + value_size.
size_t item_size(const Item& item);

}  // namespace jormun::model
