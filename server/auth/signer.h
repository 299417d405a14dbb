// The client side of SigV4: the headers that sign a request, built from the
// same canonical request and signature code the verifier checks against, so
// a client of ours (jormun-admin) and the server cannot disagree on SigV4.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/request_date.h"
#include "auth/sigv4.h"

namespace jormun::auth {

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // sent as X-Amz-Security-Token when not empty
};

// The headers to add to a request for it to carry a SigV4 signature of
// `service` in `region` at time `now`: X-Amz-Date, X-Amz-Security-Token
// (with a session token) and Authorization, in that order. `headers` are the
// ones the request already has; every one of them is signed, and it must
// hold Host.
std::vector<std::pair<std::string, std::string>> sign_request(
    std::string_view method, std::string_view target, std::span<const HttpHeader> headers,
    std::string_view body, const Credentials& credentials, std::string_view region,
    std::string_view service, Clock::time_point now);

}  // namespace jormun::auth
