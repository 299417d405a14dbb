// Turns a handler's Response into the bytes that go on the wire, with the
// headers every DynamoDB answer carries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/request_id.h"

namespace jormun::http {

// A serialised answer: the status line and headers, then the body. The
// session writes both with one gathered write, so the body is never copied
// into a second buffer.
struct WireResponse {
  std::string head;  // status line and headers, ending in the blank line
  std::string body;
  bool keep_alive = true;
  unsigned http_version = 11;
};

struct WireOptions {
  RequestId request_id;
  unsigned http_version = 11;  // 10 or 11, as the request came
  bool keep_alive = true;
  // The request's Accept-Encoding admits gzip (see accepts_gzip).
  bool gzip_accepted = false;
  // Bodies shorter than this are never compressed.
  std::size_t gzip_min_bytes = 4096;
};

// Builds the wire form: status, Content-Type, Date, x-amzn-RequestId,
// x-amz-crc32, Content-Length and, where the version needs it, Connection.
// When the client accepts gzip and the body is large enough, the body is
// compressed and the CRC32 is that of the compressed bytes, which is what the
// AWS SDKs verify.
WireResponse to_wire(Response&& response, const WireOptions& options);

// Makes an answer built with keep-alive say that the connection closes after
// it (a stop came while the request ran). Does nothing to one that already
// closes.
void close_after(WireResponse& wire);

// True if an Accept-Encoding value admits gzip (a "gzip" or "*" coding whose
// q-value is not zero).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace jormun::http
