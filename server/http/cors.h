// Cross-origin resource sharing (the Fetch standard's CORS protocol), so a
// web page served from an allowed origin can call the server from a browser.
// The transport answers preflights itself: they never reach the handler, and
// need no signature (browsers send none with them).
#pragma once

#include <boost/beast/http/fields.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace jormun::http {

class CorsPolicy {
 public:
  // `origins` (server.cors_origins, checked by config): "*" allows every
  // origin; "scheme://host" or "scheme://host:port" allows that origin;
  // "scheme://host:*" that host with any port or none; "null" the opaque
  // origin of file: pages and sandboxed frames. Compared without case.
  explicit CorsPolicy(std::vector<std::string> origins);

  // The Access-Control-Allow-Origin value for a request with this Origin
  // header: "*" when every origin is allowed, else the origin itself; empty
  // when the request has no Origin or it is not allowed.
  std::string_view allow_origin(std::string_view origin) const;

  // True when answers to allowed origins name the origin itself, so a cache
  // must keep them apart by Origin (Vary: Origin).
  bool varies_by_origin() const { return !any_; }

 private:
  bool allows(std::string_view origin) const;

  std::vector<std::string> origins_;
  bool any_ = false;
};

// The headers that let a page read an answer, each line ending in CRLF:
// Access-Control-Allow-Origin (`allow_origin`, from CorsPolicy) and
// Access-Control-Expose-Headers (x-amzn-RequestId, x-amz-crc32 and the other
// headers an SDK reads). Empty when `allow_origin` is.
std::string cors_answer_headers(std::string_view allow_origin);

// Those of an answer to a preflight (OPTIONS with Origin and
// Access-Control-Request-Method) from an allowed origin: the answer headers,
// then Access-Control-Allow-Methods and -Allow-Headers echoing what the
// preflight asks for (as DynamoDB does), and Access-Control-Max-Age.
std::string cors_preflight_headers(std::string_view allow_origin,
                                   const boost::beast::http::fields& request);

// True for an OPTIONS request that is a CORS preflight: it carries Origin
// and Access-Control-Request-Method.
bool is_preflight(const boost::beast::http::fields& request);

}  // namespace jormun::http
