// UTF-8 validation of a request body before it is parsed.
//
// RapidJSON can validate encoding while it parses, but only byte by byte and
// without its vector scans; checking the whole body first (eight ASCII bytes
// at a time) and then parsing unvalidated is several times faster for the
// string-heavy bodies DynamoDB requests are.
#pragma once

#include <string_view>

namespace jormun::api {

// True if `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace jormun::api
