// Turns one complete HTTP request into its response: health check, method
// check, body decoding, the handler call and its exception firewall. Knows
// nothing of sockets, so sessions stay pure I/O and this is testable alone.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message.h"
#include "http/server_options.h"
#include "http/wire_response.h"

namespace jormun::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Thread-safe: answer() may run on many threads at once (the handler must be
// too).
class Dispatcher {
 public:
  Dispatcher(const ServerOptions& options, Handler handler);

  // The answer to `request`, whose body it consumes. Keep-alive follows the
  // request. Never throws because of the handler.
  WireResponse answer(WireRequest&& request) const;

  // 413 for a request whose declared or streamed body is over the limit; its
  // body was not read, so the answer always closes the connection.
  WireResponse answer_too_large(const WireRequest& header) const;

 private:
  Response call_handler(const WireRequest& wire, std::string body,
                        std::string_view request_id) const;
  Response answer_post(WireRequest& request, std::string_view request_id) const;

  std::size_t max_body_bytes_;
  std::size_t gzip_min_response_bytes_;
  Handler handler_;
};

}  // namespace jormun::http
