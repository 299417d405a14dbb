// The answers the transport gives on its own, without calling the handler.
#pragma once

#include <cstddef>
#include <string_view>

#include "http/message.h"

namespace jormun::http {

// GET / : 200 "healthy: <host>", what DynamoDB answers on its endpoints
// ("healthy: dynamodb.us-east-1.amazonaws.com"). `host` is the request's Host.
Response health_response(std::string_view host);

// Anything but POST (and GET /): 400 saying what the endpoint accepts.
Response unsupported_request_response(std::string_view method, std::string_view target);

// A body, raw or after gunzip, over the limit: 413, as DynamoDB answers
// requests over its 16 MB limit, with a DynamoDB-style JSON error body.
Response too_large_response(std::size_t max_body_bytes);

// The handler threw, or the body could not be decoded: DynamoDB answers 500
// InternalServerError in both cases.
Response internal_error_response();

}  // namespace jormun::http
