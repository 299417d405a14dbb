// Verifies a request's SigV4 signature against the configured access keys,
// with DynamoDB's errors: the credential scope, the request date (within 15
// minutes of the server's clock either way), the key, then the signature.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "config/auth_config.h"

namespace jormun::auth {

// What verification needs of one request; views valid during verify().
struct SignedRequest {
  std::string_view method;
  std::string_view target;  // path and query as received
  std::span<const HttpHeader> headers;
  std::string_view authorization;  // its form already checked
  std::string_view payload_hash;   // payload_hash() of the body as sent
};

// Thread-safe: verify() only reads.
class Verifier {
 public:
  // Keeps a reference to `auth`, which must outlive it. `region` is the one
  // a credential must be scoped to.
  Verifier(const config::AuthConfig& auth, std::string region);

  // The key that signed the request. Throws ApiError: InvalidSignatureException,
  // IncompleteSignatureException or UnrecognizedClientException.
  const config::AccessKey& verify(const SignedRequest& request,
                                  std::chrono::system_clock::time_point now) const;

  // How far a request's date may be from the server's clock, as in DynamoDB.
  static constexpr std::chrono::minutes kWindow{15};

 private:
  const config::AuthConfig& auth_;
  const std::string region_;
};

}  // namespace jormun::auth
