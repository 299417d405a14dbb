// The parts of a SigV4 Authorization header:
// "AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request,
//  SignedHeaders=<a;b;c>, Signature=<hex>".
#pragma once

#include <string_view>

namespace jormun::auth {

struct Authorization {
  std::string_view algorithm;  // the first word, e.g. "AWS4-HMAC-SHA256"
  // Each empty when absent or without a value; a later repetition of a name
  // overrides an earlier one, as DynamoDB reads them.
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
};

// Views into `header`, which must outlive the result. Never throws.
Authorization parse_authorization(std::string_view header);

std::string_view trim(std::string_view s);

}  // namespace jormun::auth
