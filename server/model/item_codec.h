// The binary form of an item as stored in an engine. The first byte is the
// format version; the encoding is documented in docs/architecture.md.
// DO NOT CHANGE an existing version's layout: it is on disk.
#pragma once

#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/item_visitor.h"

namespace jormun::model {

inline constexpr uint8_t kItemFormatVersion = 1;

// Appends the encoding of `item` to *out.
void encode_item(const Item& item, std::string* out);
std::string encode_item(const Item& item);

// Decodes bytes written by encode_item. Throws std::runtime_error on
// corrupt input or an unknown version (an internal fault, not a client one).
Item decode_item(std::string_view bytes);
// The same checks, reporting the item to `visitor` instead of building it.
// `visitor` may have seen part of a corrupt item when this throws.
void decode_item(std::string_view bytes, ItemVisitor& visitor);

}  // namespace jormun::model
