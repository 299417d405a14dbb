// The request metrics of `GET /metrics`, named after CloudWatch's DynamoDB
// metrics where one exists (docs/metrics.md): requests per operation and
// table, user and system errors, throttles, failed conditions, transaction
// conflicts, and the latency of successful requests.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace jormun::api {

// What the front door learns of one request, recorded once it is answered.
struct RequestFacts {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  // The operation's name once routed; empty for a request never routed.
  std::string_view operation;
  // The request's TableName, when it names one.
  std::string table;
  // Its x-amzn-RequestId, when the access log is on.
  std::string request_id;
};

// Records one answered request: `status` its HTTP status, `error_type` the
// __type of its error ("" when it succeeded).
void record_request(const RequestFacts& facts, int status,
                    std::string_view error_type) noexcept;

}  // namespace jormun::api
