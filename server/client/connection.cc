#include "client/connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/system/system_error.hpp>

namespace jormun::client {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// Runs every operation started on `io` to its end: each ends by the
// stream's expiry at the latest, Beast closing the socket then.
void run(boost::asio::io_context& io) {
  io.restart();
  io.run();
}

void check(const beast::error_code& ec) {
  if (ec) throw boost::system::system_error(ec);
}

}  // namespace

Connection::Connection(std::string host, std::string port)
    : host_(std::move(host)), port_(std::move(port)) {}

void Connection::close() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_->close();
  stream_.reset();
}

void Connection::connect(Deadline deadline) {
  // Name resolution is left to the system's resolver and its own timeouts:
  // a peer that stops answering cannot stall it.
  boost::asio::ip::tcp::resolver resolver(io_);
  const auto addresses = resolver.resolve(host_, port_);
  stream_.emplace(io_);
  stream_->expires_at(deadline);
  beast::error_code ec;
  stream_->async_connect(addresses, [&](beast::error_code e, const auto&) { ec = e; });
  run(io_);
  check(ec);
}

Connection::Response Connection::exchange(Request& request, Deadline deadline) {
  try {
    if (!stream_) connect(deadline);
    // One expiry for the whole exchange: an operation started after it
    // fails at once, so the deadline holds across the write and the read.
    stream_->expires_at(deadline);
    beast::error_code ec;
    http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
    run(io_);
    check(ec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    http::async_read(*stream_, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run(io_);
    check(ec);
    Response response = parser.release();
    if (!response.keep_alive()) close();
    return response;
  } catch (...) {
    close();
    throw;
  }
}

}  // namespace jormun::client
