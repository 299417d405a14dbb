// The parser of one HTTP request, set up as a connection reads it. Sessions
// and the HTTP fuzz target (tests/fuzz/) share it, so the fuzzer exercises
// exactly the limits the server runs with.
#pragma once

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>

namespace jormun::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Replaces *parser with a fresh one for the next request: a header limit
// generous for SigV4 headers, and a body limit of `max_body_bytes` (a larger
// body fails with boost::beast::http::error::body_limit).
void reset_request_parser(std::optional<RequestParser>& parser, std::size_t max_body_bytes);

}  // namespace jormun::http
