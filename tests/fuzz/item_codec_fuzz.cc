// The item codec on arbitrary stored bytes: decoding either throws
// std::runtime_error or yields an item whose encoding is the input byte for
// byte (the decoder accepts only canonical encodings, so equal items have
// equal bytes). The readers that skip the tree agree with the tree.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "model/attribute_json.h"
#include "model/item_codec.h"
#include "model/item_size.h"

using namespace jormun;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  model::Item item;
  try {
    item = model::decode_item(bytes);
  } catch (const std::runtime_error&) {
    return 0;
  }
  const std::string again = model::encode_item(item);
  fuzz::check(again == bytes, "decode then encode changed the bytes");
  fuzz::check(model::stored_item_size(bytes) == model::item_size(item),
              "stored_item_size differs from item_size");
  rapidjson::StringBuffer from_tree, from_stored;
  model::JsonWriter tree_writer(from_tree), stored_writer(from_stored);
  model::write_item(item, tree_writer);
  model::write_stored_item(bytes, stored_writer);
  fuzz::check(std::string_view(from_tree.GetString()) == from_stored.GetString(),
              "write_stored_item differs from write_item", from_tree.GetString(),
              from_stored.GetString());
  return 0;
}
