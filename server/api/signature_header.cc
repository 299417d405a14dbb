#include "api/signature_header.h"

#include <string>

#include "auth/authorization.h"
#include "common/api_error.h"

namespace jormun::api {

void check_signature_header(std::string_view header, bool has_date,
                            std::string_view request_target) {
  if (auth::trim(header).substr(0, 5) != "AWS4-") {
    // Said outright, so that a client does not take it for a signing bug.
    const size_t query = request_target.find('?');
    if (query != std::string_view::npos &&
        request_target.find("X-Amz-Signature=", query) != std::string_view::npos)
      throw ApiError("MissingAuthenticationTokenException",
                     "Request is missing Authentication Token: signatures in the query "
                     "string (presigned URLs) are not supported, sign with the "
                     "Authorization header");
    throw ApiError("MissingAuthenticationTokenException",
                   "Request is missing Authentication Token");
  }
  const auth::Authorization parts = auth::parse_authorization(header);
  // The three names DynamoDB requires, each present with a value.
  std::string msg;
  auto require = [&msg](std::string_view value, const char* name) {
    if (value.empty())
      msg += "Authorization header requires '" + std::string(name) + "' parameter. ";
  };
  require(parts.credential, "Credential");
  require(parts.signature, "Signature");
  require(parts.signed_headers, "SignedHeaders");
  if (!has_date)
    msg +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
        "header. ";
  if (!msg.empty())
    throw ApiError("IncompleteSignatureException",
                   msg + "Authorization=" + std::string(header));
}

}  // namespace jormun::api
