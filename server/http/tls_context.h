// The TLS settings of the HTTPS port: certificate, key and protocol versions.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <stdexcept>
#include <string>

namespace jormun::http {

// A certificate or key file that could not be used, and which of the two.
class TlsFileError : public std::runtime_error {
 public:
  enum class File { kCertificate, kPrivateKey };
  TlsFileError(File file, const std::string& what)
      : std::runtime_error(what), file(file) {}
  const File file;
};

// A server context from PEM files: `certificate` holds the server's
// certificate followed by any intermediates, `private_key` its unencrypted
// key. TLS 1.2 and later only. Throws TlsFileError when a file cannot be
// loaded or the key does not match the certificate.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(
    const std::string& certificate, const std::string& private_key);

}  // namespace jormun::http
