// The HTTP head of a DynamoDB call, as the benchmark sends it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jormun::bench {

// Appends the request line and headers (through the blank line) of a POST /
// carrying a `body_size`-byte DynamoDB JSON body with X-Amz-Target `target`.
void append_request_head(std::string& out, std::string_view host, std::string_view target,
                         size_t body_size);

}  // namespace jormun::bench
