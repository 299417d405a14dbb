#include "http_connection.h"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "request_head.h"

namespace jormun::bench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr size_t kReadBufferBytes = 64 * 1024;
// Answers as large as a BatchGetItem of 25 items of 400 KB fit.
constexpr uint64_t kMaxAnswerBytes = 16 << 20;
}  // namespace

HttpConnection::HttpConnection(asio::io_context& io, asio::ip::tcp::endpoint peer,
                               AnswerListener& listener)
    : socket_(io),
      peer_(std::move(peer)),
      host_(peer_.address().to_string() + ':' + std::to_string(peer_.port())),
      listener_(listener) {
  // Beast reads at most the buffer's free capacity (at least 512 bytes) per
  // call: room for a whole ordinary answer makes it one read, not dozens.
  buffer_.reserve(kReadBufferBytes);
}

void HttpConnection::send(std::string_view target, const std::string& body) {
  head_.clear();
  append_request_head(head_, host_, target, body.size());
  body_ = &body;
  if (socket_.is_open()) return write();
  socket_.async_connect(peer_, [this](const error_code& ec) {
    if (ec) return fail(ec);
    socket_.set_option(asio::ip::tcp::no_delay(true));
    write();
  });
}

void HttpConnection::write() {
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(head_),
                                                     asio::buffer(*body_)};
  asio::async_write(socket_, buffers, [this](const error_code& ec, size_t) {
    if (ec) return fail(ec);
    read();
  });
}

void HttpConnection::read() {
  parser_.emplace();
  parser_->body_limit(kMaxAnswerBytes);
  http::async_read(socket_, buffer_, *parser_, [this](const error_code& ec, size_t) {
    if (ec) return fail(ec);
    auto& answer = parser_->get();
    // Closed before the listener runs, because it may send the next call.
    if (!answer.keep_alive()) close();
    listener_.on_answer({}, answer.result_int(), answer.body());
  });
}

void HttpConnection::fail(const error_code& ec) {
  close();
  std::string none;
  listener_.on_answer(ec, 0, none);
}

void HttpConnection::close() {
  error_code ignored;
  socket_.close(ignored);
  buffer_.clear();
}

}  // namespace jormun::bench
