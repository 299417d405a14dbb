#include "client/connection.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/system/system_error.hpp>

namespace jormun::client {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;

// Runs every operation started on `io` to its end: each ends by the
// stream's expiry at the latest, Beast closing the socket then.
void run(boost::asio::io_context& io) {
  io.restart();
  io.run();
}

void check(const beast::error_code& ec) {
  if (ec) throw boost::system::system_error(ec);
}

template <class Stream>
Connection::Response exchange_on(Stream& stream, Connection::Request& request,
                                 boost::asio::io_context& io) {
  beast::error_code ec;
  http::async_write(stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
  run(io);
  check(ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256u << 20);
  http::async_read(stream, buffer, parser,
                   [&](beast::error_code e, std::size_t) { ec = e; });
  run(io);
  check(ec);
  return parser.release();
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_client_context(const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  // As the server's own port (http/tls_context.cc): TLS 1.2 and later.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1);
  context->set_verify_mode(ssl::verify_peer);
  try {
    if (ca_file.empty())
      context->set_default_verify_paths();
    else
      context->load_verify_file(ca_file);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(
        (ca_file.empty() ? std::string("cannot load the system's CA certificates")
                         : "cannot load CA certificates from " + ca_file) +
        ": " + e.what());
  }
  return context;
}

Connection::Connection(std::string host, std::string port,
                       std::shared_ptr<ssl::context> tls)
    : host_(std::move(host)), port_(std::move(port)), tls_(std::move(tls)) {}

beast::tcp_stream& Connection::tcp() { return secure_ ? secure_->next_layer() : *plain_; }

void Connection::close() {
  if (!is_open()) return;
  // No TLS close_notify: the server may not read it, and nothing follows.
  beast::error_code ignored;
  tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  tcp().close();
  plain_.reset();
  secure_.reset();
}

void Connection::interrupt() {
  interrupted_ = true;
  // Run by the thread in exchange(): its operations are aborted. Posted
  // while none runs, it waits for the next run, which the flag forestalls.
  boost::asio::post(io_, [this] {
    if (is_open()) tcp().cancel();
  });
}

void Connection::connect(Deadline deadline) {
  // Name resolution is left to the system's resolver and its own timeouts:
  // a peer that stops answering cannot stall it.
  boost::asio::ip::tcp::resolver resolver(io_);
  const auto addresses = resolver.resolve(host_, port_);
  if (tls_)
    secure_.emplace(io_, *tls_);
  else
    plain_.emplace(io_);
  tcp().expires_at(deadline);
  beast::error_code ec;
  tcp().async_connect(addresses, [&](beast::error_code e, const auto&) { ec = e; });
  run(io_);
  check(ec);
  if (tls_) handshake();
}

void Connection::handshake() {
  SSL* ssl = secure_->native_handle();
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(host_, not_an_address);
  // OpenSSL checks the name (or address) during the handshake, and fails
  // it when the certificate does not carry it.
  const bool named = not_an_address ? SSL_set_tlsext_host_name(ssl, host_.c_str()) == 1 &&
                                          SSL_set1_host(ssl, host_.c_str()) == 1
                                    : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
                                                                    host_.c_str()) == 1;
  if (!named) throw std::runtime_error("cannot check the certificate for " + host_);
  beast::error_code ec;
  secure_->async_handshake(ssl::stream_base::client,
                           [&](beast::error_code e) { ec = e; });
  run(io_);
  if (!ec) return;
  const long verdict = SSL_get_verify_result(ssl);
  if (ec != beast::error::timeout && verdict != X509_V_OK)
    throw CertificateError("the TLS certificate of " + host_ + ":" + port_ +
                           " is refused: " + X509_verify_cert_error_string(verdict));
  check(ec);
}

Connection::Response Connection::exchange(Request& request, Deadline deadline) {
  try {
    if (interrupted_)
      throw boost::system::system_error(boost::asio::error::operation_aborted);
    if (!is_open()) connect(deadline);
    // One expiry for the whole exchange: an operation started after it
    // fails at once, so the deadline holds across the write and the read.
    tcp().expires_at(deadline);
    Response response = secure_ ? exchange_on(*secure_, request, io_)
                                : exchange_on(*plain_, request, io_);
    if (!response.keep_alive()) close();
    return response;
  } catch (...) {
    close();
    throw;
  }
}

}  // namespace jormun::client
