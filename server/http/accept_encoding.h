// Choosing the coding of an answer from the request's Accept-Encoding
// (RFC 9110, 12.5.3), the way DynamoDB chooses it. docs/architecture.md
// (Compression) lists the cases this follows and where they come from.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <string_view>

#include "http/content_coding.h"

namespace jormun::http {

// The coding to answer with for one Accept-Encoding value: gzip or deflate,
// whichever has the higher q-value (q=0 refuses; a q that is not a number
// counts as 1, one above 1 as 1, a negative one as 0; the first q of an
// entry counts); a coding named explicitly beats "*" at the same q, then the
// earlier entry wins, then gzip. "*" stands for the codings not named.
// kIdentity when neither is acceptable. Entries that are not a token
// ("\"gzip\"", "gzip br"), unknown codings and "identity" are ignored.
Coding choose_coding(std::string_view accept_encoding);

// The same for a request's headers. With several Accept-Encoding headers,
// the last one counts, as in DynamoDB.
Coding choose_coding(const boost::beast::http::fields& headers);

}  // namespace jormun::http
