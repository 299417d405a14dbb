#include "http/canned_responses.h"

#include <string>

namespace jormun::http {
namespace {

constexpr std::string_view kErrorPrefix = "com.amazonaws.dynamodb.v20120810#";

// The messages are fixed text without quotes or backslashes, so they need no
// JSON escaping.
Response json_error(int status, std::string_view type, std::string_view message) {
  Response r;
  r.status = status;
  r.body.append(R"({"__type":")").append(kErrorPrefix).append(type);
  r.body.append(R"(","message":")").append(message).append(R"("})");
  return r;
}

}  // namespace

Response health_response(std::string_view host) {
  Response r;
  r.content_type = "text/plain";
  r.body.append("healthy: ").append(host);
  return r;
}

Response unsupported_request_response(std::string_view method, std::string_view target) {
  Response r;
  r.status = 400;
  r.content_type = "text/plain";
  r.body.append(method).append(" ").append(target);
  r.body.append(" is not supported: DynamoDB API calls are POST /, health checks GET /");
  return r;
}

Response too_large_response(std::size_t max_body_bytes) {
  return json_error(
      413, "RequestEntityTooLarge",
      "Request body exceeds the maximum of " + std::to_string(max_body_bytes) + " bytes");
}

Response internal_error_response() {
  return json_error(500, "InternalServerError", "Internal server error");
}

}  // namespace jormun::http
