// DynamoDB's list of reserved words, which may not appear as bare attribute
// names in an expression (they must be written as #name placeholders).
#pragma once

#include <string_view>

namespace jormun::expr {

// True if `word` is reserved, compared case-insensitively as DynamoDB does.
bool is_reserved_word(std::string_view word);

}  // namespace jormun::expr
