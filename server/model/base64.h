// Standard base64 (RFC 4648 alphabet, '=' padding), the form DynamoDB uses
// for binary values in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jormun::model {

std::string base64_encode(std::string_view bytes);

// Strict decoding, as DynamoDB's request parser does it: the length must be a
// multiple of 4, only alphabet characters and trailing padding are allowed,
// and the text must be the canonical encoding of its bytes (no stray bits in
// the last character). On failure returns nullopt and sets *error to the
// parser's detail text ("Invalid Base64 character: 'x'", ...).
std::optional<std::string> base64_decode(std::string_view text, std::string* error);

}  // namespace jormun::model
