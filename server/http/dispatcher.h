// Turns one complete HTTP request into its response: health check, metrics
// scrape, console page, CORS preflight, method check, body decoding, the
// handler call and its exception firewall, and the answer's coding and CORS
// headers. Knows nothing of sockets, so sessions stay pure I/O and this is
// testable alone.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

#include "http/cors.h"
#include "http/message.h"
#include "http/server_options.h"
#include "http/wire_response.h"

namespace jormun::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Where the answer to one request goes (a connection).
class Responder {
 public:
  // The answer, on the thread that called Dispatcher::answer, before it
  // returns. Called at most once.
  virtual void respond(WireResponse&& answer) = 0;
  // The handler deferred: the answer will come later, from any thread,
  // through the function returned (called exactly once), which keeps what
  // it needs alive until then. Called at most once, instead of respond().
  virtual std::function<void(WireResponse&&)> respond_later() = 0;

 protected:
  ~Responder() = default;
};

// Thread-safe: answer() may run on many threads at once (the handler must be
// too).
class Dispatcher {
 public:
  Dispatcher(const ServerOptions& options, Handler handler);

  // Answers `request`, whose body it consumes, through `responder`.
  // Keep-alive follows the request. Never throws because of the handler.
  void answer(WireRequest&& request, Responder& responder) const;

  // 413 for a request whose declared or streamed body is over the limit; its
  // body was not read, so the answer always closes the connection.
  WireResponse answer_too_large(const WireRequest& header) const;

  // `response` (a canned answer) to a request whose body was not read, or
  // whose framing could not be parsed (then `header` holds what was): the
  // answer always closes the connection.
  WireResponse answer_unread(Response&& response, const WireRequest& header) const;

 private:
  // How answers to `request` are written: coding, CORS, keep-alive.
  WireOptions wire_options(const WireRequest& request, bool keep_alive) const;
  void answer_options(const WireRequest& request, WireOptions& wire,
                      Responder& responder) const;
  void answer_post(WireRequest& request, const WireOptions& wire,
                   Responder& responder) const;
  // `encoded_body`: the body as received when `body` was decoded from it.
  void call_handler(const WireRequest& wire_request, std::string body,
                    std::string_view encoded_body, const WireOptions& wire,
                    Responder& responder) const;

  std::size_t max_body_bytes_;
  std::size_t compress_min_response_bytes_;
  CorsPolicy cors_;
  std::function<Response(std::string_view host)> metrics_;
  std::function<Response(std::string_view target, std::string_view host)> console_;
  Handler handler_;
};

}  // namespace jormun::http
