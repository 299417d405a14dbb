// Item and value sizes as DynamoDB computes them for the 400 KB item limit
// and the 1 MB page limit:
//   S        UTF-8 bytes          B      raw bytes
//   BOOL     1                    NULL   1
//   N        1 + pairs + (1 if negative), where pairs counts the base-100
//            digits of the value aligned on the decimal point (12.5 is
//            12|.50, two pairs), trailing zero pairs dropped: DynamoDB's
//            "1 byte per two significant digits plus 1 byte"; 0 is 1 byte
//   SS/NS/BS the sum of the members' sizes
//   L        3 + sum(1 + element size)
//   M        3 + sum(1 + UTF-8 name length + value size)
#pragma once

#include <cstddef>
#include <string_view>

#include "model/attribute_value.h"
#include "model/item_visitor.h"

namespace jormun::model {

inline constexpr size_t kMaxItemSize = 400 * 1024;
// DynamoDB takes attribute names of up to 65,535 bytes ("64 KB" in its
// documentation, which 65,536 already exceeds).
inline constexpr size_t kMaxAttributeNameBytes = 65535;

size_t value_size(const AttributeValue& v);
// Sum over attributes of UTF-8 name length + value_size.
size_t item_size(const Item& item);
// Throws ValidationException if a top-level attribute name of `item` is
// longer than kMaxAttributeNameBytes.
void check_attribute_names(const Item& item);
// item_size of an item in its stored form (model/item_codec.h), without
// decoding it; throws std::runtime_error on corrupt bytes.
size_t stored_item_size(std::string_view stored);
// The same, while passing the item's events to `also` (model/item_visitor.h):
// one decoding pass for the size and for another consumer.
size_t stored_item_size(std::string_view stored, ItemVisitor& also);

}  // namespace jormun::model
