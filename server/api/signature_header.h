// The Authorization header checks DynamoDB makes before reading a request:
// its form, whatever auth mode is configured. With auth.mode sigv4 the
// signature is then verified (auth::Verifier); with mode none any key id
// and secret are accepted, as with DynamoDB Local, but a client that would
// fail against DynamoDB for a missing or incomplete signature fails here the
// same way.
#pragma once

#include <string_view>

namespace jormun::api {

// Throws MissingAuthenticationTokenException or IncompleteSignatureException
// with DynamoDB's messages; `request_target` (path and query) only serves to
// tell a presigned URL, which is not supported, from a missing signature.
void check_signature_header(std::string_view authorization, bool has_date,
                            std::string_view request_target);

}  // namespace jormun::api
