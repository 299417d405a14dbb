#include "http/canned_responses.h"

#include <string>

namespace jormun::http {
namespace {

// DynamoDB's __type prefix differs by error (docs/architecture.md, Errors).
constexpr std::string_view kDynamoDbPrefix = "com.amazonaws.dynamodb.v20120810#";
constexpr std::string_view kAvailabilityPrefix = "com.amazon.coral.availability#";

// The messages are fixed text without quotes or backslashes, so they need no
// JSON escaping.
Response json_error(int status, std::string_view prefix, std::string_view type,
                    std::string_view message) {
  Response r;
  r.status = status;
  r.body.append(R"({"__type":")").append(prefix).append(type);
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
      413, kDynamoDbPrefix, "RequestEntityTooLarge",
      "Request body exceeds the maximum of " + std::to_string(max_body_bytes) + " bytes");
}

Response internal_error_response() {
  return json_error(500, kDynamoDbPrefix, "InternalServerError", "Internal server error");
}

Response throttled_response() {
  return json_error(400, kAvailabilityPrefix, "ThrottlingException",
                    "Rate of requests exceeds the allowed throughput.");
}

Response preflight_response() {
  Response r;
  r.content_type = "text/plain";
  return r;
}

Response origin_refused_response(std::string_view origin) {
  Response r;
  r.status = 403;
  r.content_type = "text/plain";
  r.body.append("Origin ").append(origin).append(
      " is not allowed to call this server: see server.cors_origins");
  return r;
}

Response bad_framing_response(int status) {
  Response r;
  r.status = status;
  r.content_type = "text/plain";
  switch (status) {
    case 414:
      r.body = "Request line too long";
      break;
    case 431:
      r.body = "Request header fields too large";
      break;
    default:
      r.body = "Malformed HTTP request";
  }
  return r;
}

}  // namespace jormun::http
