// The Authorization header checks DynamoDB makes before reading a request.
//
// JormunDB has no credential store, so it does not verify signatures (any
// key id and secret are accepted, as with DynamoDB Local); it does insist
// on a well-formed SigV4 header, so a client that would fail against
// DynamoDB for a missing or incomplete signature fails here the same way.
#pragma once

#include <string_view>

namespace jormun::api {

// Throws MissingAuthenticationTokenException or IncompleteSignatureException
// with DynamoDB's messages.
void check_signature_header(std::string_view authorization, bool has_date);

}  // namespace jormun::api
