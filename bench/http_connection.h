// One HTTP/1.1 keep-alive client connection that sends DynamoDB calls.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::bench {

// Told about every answer (or failure) of a connection.
class AnswerListener {
 public:
  virtual ~AnswerListener() = default;
  // `ec` set: the call failed on the network (connect, write or read) and the
  // connection is closed; the next send() connects again. Otherwise `status`
  // and `body` are the answer's, valid until the next send(); the listener
  // may modify the body (parse it in place).
  virtual void on_answer(const boost::system::error_code& ec, unsigned status,
                         std::string& body) = 0;
};

// Sends one call at a time (no pipelining) and reads its answer, connecting
// (again) when needed. The request is written as two buffers, prebuilt
// headers and the body, so a call costs one gathered write; answers are
// parsed by Beast. Lives on one io_context thread; not thread-safe.
class HttpConnection {
 public:
  HttpConnection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint peer,
                 AnswerListener& listener);

  // POSTs `body` with X-Amz-Target `target`; both must stay valid until the
  // listener is called.
  void send(std::string_view target, const std::string& body);
  // Ends any call in progress; its listener call reports an error.
  void close();

 private:
  void write();
  void read();
  void fail(const boost::system::error_code& ec);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::ip::tcp::endpoint peer_;
  std::string host_;  // the Host header value
  AnswerListener& listener_;
  std::string head_;
  const std::string* body_ = nullptr;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>>
      parser_;
};

}  // namespace jormun::bench
