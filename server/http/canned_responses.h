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

// The handler threw: 500 InternalServerError, as DynamoDB answers its own
// faults.
Response internal_error_response();

// The server is over one of its resource limits (server.max_connections,
// server.max_inflight_body_mb): DynamoDB's generic throttling error, HTTP 400
// ThrottlingException, which every AWS SDK retries with backoff. See
// docs/architecture.md for why this shape.
Response throttled_response();

// The body's Content-Encoding is neither gzip nor identity: 415, as RFC 7231
// section 3.1.2.2 allows; DynamoDB's own answer is not documented.
Response unsupported_encoding_response();

// A gzip body that does not inflate: 400 SerializationException, the error
// DynamoDB gives for a body it cannot read.
Response corrupt_body_response();

// HTTP framing the parser refused (`status` 400), a request line over the
// header limit (414) or a header over it (431). Plain text: the request never
// got far enough to be a DynamoDB call.
Response bad_framing_response(int status);

}  // namespace jormun::http
