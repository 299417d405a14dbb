// The access log (server.access_log): one INFO line per answered request,
// with its operation, table, status, error type, latency and request id.
#pragma once

#include <string_view>

#include "api/request_metrics.h"

namespace jormun::api {

// Turns the access log on; call once at start-up. Off by default.
void enable_access_log();
bool access_log_enabled();

// Writes `facts`' line when the access log is on: `status` the HTTP status,
// `error_type` the error's __type ("" on success).
void log_access(const RequestFacts& facts, int status, std::string_view error_type) noexcept;

}  // namespace jormun::api
