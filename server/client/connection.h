// One HTTP/1.1 keep-alive connection of the client (client.h) to a server,
// over TCP or TLS. Each exchange (connecting and the TLS handshake when no
// connection is open, sending the request, reading its whole answer) ends
// by a deadline, whatever the server does: Beast's stream timeouts hold for
// asynchronous operations only, so the connection runs them on its own
// io_context until they end.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace jormun::client {

// The TLS settings of a client: TLS 1.2 and later, and a server's
// certificate must chain to a CA of `ca_file` (PEM), or of the system's
// default store when it is empty. Throws std::runtime_error naming the file
// when it cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_client_context(
    const std::string& ca_file);

// A TLS handshake that failed because the server's certificate was not
// trusted or does not name the host: the client's settings or the server's
// certificate must change; trying again as it is will not help.
class CertificateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connection {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using Deadline = std::chrono::steady_clock::time_point;

  // `tls`: speak TLS with these settings, checking that the certificate
  // names `host`; null: plain HTTP.
  Connection(std::string host, std::string port,
             std::shared_ptr<boost::asio::ssl::context> tls);

  // Sends `request` and reads its answer, connecting first when no
  // connection is open, all by `deadline`. Throws CertificateError (see
  // above), or boost::system::system_error when the server cannot be
  // reached, drops the connection or the deadline passes
  // (beast::error::timeout); the connection is closed then.
  Response exchange(Request& request, Deadline deadline);

  // From any thread: ends the exchange under way, or the next one, with
  // boost::asio::error::operation_aborted. For good: an interrupted
  // connection makes no more exchanges.
  void interrupt();

  // Whether a connection is open (kept alive from an earlier exchange).
  bool is_open() const { return plain_.has_value() || secure_.has_value(); }
  void close();

 private:
  void connect(Deadline deadline);
  void handshake();
  boost::beast::tcp_stream& tcp();

  std::string host_;
  std::string port_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context io_;
  std::atomic<bool> interrupted_{false};
  // At most one is open: plain_ without TLS, secure_ with it.
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> secure_;
};

}  // namespace jormun::client
