#include "http/tls_context.h"

#include <boost/system/system_error.hpp>

namespace jormun::http {

std::shared_ptr<boost::asio::ssl::context> make_tls_context(
    const std::string& certificate, const std::string& private_key) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  // SSLv3, TLS 1.0 and 1.1 are deprecated (RFC 8996); AWS endpoints require
  // TLS 1.2 as well.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  try {
    context->use_certificate_chain_file(certificate);
  } catch (const boost::system::system_error& e) {
    throw TlsFileError(TlsFileError::File::kCertificate,
                       "cannot load certificate " + certificate + ": " + e.what());
  }
  try {
    // OpenSSL also checks here that the key matches the certificate.
    context->use_private_key_file(private_key, ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    throw TlsFileError(TlsFileError::File::kPrivateKey,
                       "cannot load private key " + private_key + ": " + e.what());
  }
  return context;
}

}  // namespace jormun::http
