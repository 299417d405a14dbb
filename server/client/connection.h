// One HTTP/1.1 keep-alive connection of the client (client.h) to a server.
// Each exchange (connecting when no connection is open, sending the request,
// reading its whole answer) ends by a deadline, whatever the server does:
// Beast's stream timeouts hold for asynchronous operations only, so the
// connection runs them on its own io_context until they end.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace jormun::client {

class Connection {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using Deadline = std::chrono::steady_clock::time_point;

  Connection(std::string host, std::string port);

  // Sends `request` and reads its answer, connecting first when no
  // connection is open, all by `deadline`. Throws
  // boost::system::system_error when the server cannot be reached, drops the
  // connection or the deadline passes (beast::error::timeout); the
  // connection is closed then.
  Response exchange(Request& request, Deadline deadline);

  // Whether a connection is open (kept alive from an earlier exchange).
  bool is_open() const { return stream_.has_value(); }
  void close();

 private:
  void connect(Deadline deadline);

  std::string host_;
  std::string port_;
  boost::asio::io_context io_;
  std::optional<boost::beast::tcp_stream> stream_;
};

}  // namespace jormun::client
