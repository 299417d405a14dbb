// Turns a handler's Response into the bytes that go on the wire, with the
// headers every DynamoDB answer carries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/content_coding.h"
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
  // The coding the request's Accept-Encoding prefers (choose_coding);
  // kIdentity when it accepts none the server writes.
  Coding accepted = Coding::kIdentity;
  // Bodies shorter than this are never compressed.
  std::size_t compress_min_bytes = 4096;
  // CORS header lines (cors_answer_headers, cors_preflight_headers), or
  // empty for a request without an allowed Origin.
  std::string cors_headers;
  // The CORS headers name the request's origin: say Vary: Origin.
  bool vary_origin = false;
};

// Builds the wire form: status, Content-Type, Date, Server, x-amzn-RequestId,
// x-amz-crc32, Content-Length, the CORS headers, the response's extra headers
// and, where the version needs it, Connection. When the client accepts a coding and the body is at least
// compress_min_bytes, the body is compressed (Content-Encoding) and the CRC32
// is that of the compressed bytes, as DynamoDB's is and the AWS SDKs verify;
// such answers say Vary: Accept-Encoding whether compressed or not.
WireResponse to_wire(Response&& response, const WireOptions& options);

// Makes an answer built with keep-alive say that the connection closes after
// it (a stop came while the request ran). Does nothing to one that already
// closes.
void close_after(WireResponse& wire);

}  // namespace jormun::http
