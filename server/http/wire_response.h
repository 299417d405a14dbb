// Turns a handler's Response into the HTTP message that goes on the wire,
// with the headers every DynamoDB answer carries.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string_view>

#include "http/message.h"

namespace jormun::http {

using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct WireOptions {
  std::string_view request_id;
  unsigned http_version = 11;  // 10 or 11, as the request came
  bool keep_alive = true;
  // The request's Accept-Encoding value; gzip is used only if it allows it.
  std::string_view accept_encoding;
  // Bodies shorter than this are never compressed.
  std::size_t gzip_min_bytes = 4096;
};

// Builds the wire message: status, Content-Type, Content-Length, Date,
// x-amzn-RequestId, Connection, and x-amz-crc32. When the client accepts gzip
// and the body is large enough, the body is compressed and the CRC32 is that
// of the compressed bytes, which is what the AWS SDKs verify.
WireResponse to_wire(Response&& response, const WireOptions& options);

// True if an Accept-Encoding value admits gzip (a "gzip" or "*" coding whose
// q-value is not zero).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace jormun::http
