// The HTTP request parser on arbitrary bytes, as one connection receives
// them: each request is read with the parser a session uses
// (http::reset_request_parser, same limits), and a complete one is answered
// by the server's Dispatcher (health check, method check, body decoding,
// handler call); requests follow each other while keep-alive holds. A small
// body limit lets the fuzzer reach the 413 path.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_check.h"
#include "http/dispatcher.h"
#include "http/request_parser.h"

using namespace jormun;
namespace beast_http = boost::beast::http;

namespace {

class Sink final : public http::Responder {
 public:
  void respond(http::WireResponse&& answer) override { last = std::move(answer); }
  std::function<void(http::WireResponse&&)> respond_later() override {
    fuzz::fail("the fuzz handler never defers");
  }
  std::optional<http::WireResponse> last;
};

// Reads what a handler may read, so the views into the parsed header and
// the decoded body are touched.
void handler(http::Request& request, http::Response& response) {
  size_t n = request.body().size() + request.header("X-Amz-Target").size();
  request.for_each_header(
      [&n](std::string_view name, std::string_view value) { n += name.size() + value.size(); });
  response.body = std::to_string(n);
}

http::ServerOptions options() {
  http::ServerOptions o;
  o.max_body_bytes = 4096;
  o.compress_min_response_bytes = 64;
  o.cors_origins = {"http://localhost:*"};
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const http::ServerOptions kOptions = options();
  static const http::Dispatcher kDispatcher(kOptions, handler);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<http::RequestParser> parser;
  while (!input.empty()) {
    http::reset_request_parser(parser, kOptions.max_body_bytes);
    boost::beast::error_code ec;
    // The socket has nothing more: what a read at end of stream does.
    while (!parser->is_done() && !ec) {
      const size_t used = parser->put(boost::asio::buffer(input.data(), input.size()), ec);
      input.remove_prefix(used);
      if (ec == beast_http::error::need_more) ec = {};
      if (!ec && used == 0 && !parser->is_done()) {
        parser->put_eof(ec);
        break;
      }
    }
    if (ec == beast_http::error::body_limit) {
      const http::WireResponse answer = kDispatcher.answer_too_large(parser->get());
      fuzz::check(!answer.keep_alive, "a 413 keeps the connection");
      return 0;
    }
    if (ec || !parser->is_done()) return 0;
    Sink sink;
    kDispatcher.answer(parser->release(), sink);
    fuzz::check(sink.last.has_value(), "a request went unanswered");
    fuzz::check(sink.last->head.starts_with("HTTP/1."), "an answer lacks a status line",
                sink.last->head);
    if (!sink.last->keep_alive) return 0;
  }
  return 0;
}
