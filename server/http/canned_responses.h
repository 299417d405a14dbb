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
// faults. Also the answer to a body in a Content-Encoding the server does not
// read, or that does not decode: DynamoDB answers both with HTTP 500.
Response internal_error_response();

// The server is over one of its resource limits (server.max_connections,
// server.max_inflight_body_mb): DynamoDB's generic throttling error, HTTP 400
// ThrottlingException, which every AWS SDK retries with backoff. See
// docs/architecture.md for why this shape.
Response throttled_response();

// A CORS preflight from an allowed origin: 200 with an empty body; the CORS
// headers go with it (cors_preflight_headers).
Response preflight_response();

// OPTIONS from an origin server.cors_origins does not allow: 403, so the
// browser refuses the call the preflight asked about.
Response origin_refused_response(std::string_view origin);

// HTTP framing the parser refused (`status` 400), a request line over the
// header limit (414) or a header over it (431). Plain text: the request never
// got far enough to be a DynamoDB call.
Response bad_framing_response(int status);

}  // namespace jormun::http
