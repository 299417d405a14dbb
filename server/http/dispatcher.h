// Turns one complete HTTP request into its response: health check, method
// check, body decoding, the handler call and its exception firewall. Knows
// nothing of sockets, so sessions stay pure I/O and this is testable alone.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

#include "http/message.h"
#include "http/server_options.h"
#include "http/wire_response.h"

namespace jormun::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Receives the wire form of an answer. Called exactly once per request: on
// the calling thread before answer() returns, or later from any thread when
// the handler deferred the answer.
using Reply = std::function<void(WireResponse&&)>;

// Thread-safe: answer() may run on many threads at once (the handler must be
// too).
class Dispatcher {
 public:
  Dispatcher(const ServerOptions& options, Handler handler);

  // Answers `request`, whose body it consumes, through `reply`. Keep-alive
  // follows the request. Never throws because of the handler.
  void answer(WireRequest&& request, Reply reply) const;

  // 413 for a request whose declared or streamed body is over the limit; its
  // body was not read, so the answer always closes the connection.
  WireResponse answer_too_large(const WireRequest& header) const;

 private:
  void answer_post(WireRequest& request, const WireOptions& wire,
                   const Reply& reply) const;
  void call_handler(const WireRequest& wire_request, std::string body,
                    const WireOptions& wire, const Reply& reply) const;

  std::size_t max_body_bytes_;
  std::size_t gzip_min_response_bytes_;
  Handler handler_;
};

}  // namespace jormun::http
