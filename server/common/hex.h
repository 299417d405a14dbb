// Lower-case hexadecimal text of bytes, and back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jormun {

// Two lower-case digits per byte.
std::string to_hex(std::string_view bytes);
// The bytes of `text` as to_hex writes them (either case accepted); nullopt
// when it is not an even number of hex digits.
std::optional<std::string> from_hex(std::string_view text);

}  // namespace jormun
