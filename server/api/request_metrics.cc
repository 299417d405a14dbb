#include "api/request_metrics.h"

#include "common/metrics.h"

namespace jormun::api {
namespace {

using metrics::Counter;
using metrics::Family;
using metrics::Histogram;
using metrics::Registry;

struct RequestMetrics {
  Family<Counter>& requests = Registry::global().counter(
      "jormun_requests_total",
      "Requests answered, by operation; successful ones also by table.",
      {"operation", "table"});
  Family<Counter>& user_errors = Registry::global().counter(
      "jormun_user_errors_total",
      "Requests answered with a 4xx error (CloudWatch UserErrors), by operation.",
      {"operation"});
  Family<Counter>& system_errors = Registry::global().counter(
      "jormun_system_errors_total",
      "Requests answered with a 5xx error (CloudWatch SystemErrors), by operation.",
      {"operation"});
  Family<Counter>& throttled = Registry::global().counter(
      "jormun_throttled_requests_total",
      "Requests refused with ThrottlingException (CloudWatch ThrottledRequests).",
      {"operation"});
  Family<Counter>& condition_failed = Registry::global().counter(
      "jormun_conditional_check_failed_requests_total",
      "Writes whose condition failed (CloudWatch ConditionalCheckFailedRequests).",
      {"operation", "table"});
  Family<Counter>& conflicts = Registry::global().counter(
      "jormun_transaction_conflict_total",
      "Requests refused because of a conflicting transaction (CloudWatch "
      "TransactionConflict).",
      {"operation"});
  Family<Histogram>& latency = Registry::global().histogram(
      "jormun_successful_request_latency_seconds",
      "Time from a request's parsing to its answer, for successful requests "
      "(CloudWatch SuccessfulRequestLatency).",
      {"operation"}, {Histogram::kSecondBounds.begin(), Histogram::kSecondBounds.end()});
};

RequestMetrics& request_metrics() {
  static RequestMetrics* m = new RequestMetrics;  // threads may record late
  return *m;
}

// The type without its namespace ("com.amazonaws.dynamodb.v20120810#").
std::string_view short_type(std::string_view type) {
  const size_t hash = type.rfind('#');
  return hash == std::string_view::npos ? type : type.substr(hash + 1);
}

}  // namespace

void record_request(const RequestFacts& facts, int status,
                    std::string_view error_type) noexcept try {
  RequestMetrics& m = request_metrics();
  const std::string_view op = facts.operation.empty() ? "_unrouted" : facts.operation;
  // Only a success proves the table exists: other names stay out of the
  // labels, where a client could otherwise add one series per made-up name.
  const bool ok = status < 300;
  m.requests.with({op, ok ? std::string_view(facts.table) : ""}).add();
  if (ok) {
    m.latency.with({op}).observe(std::chrono::duration<double>(
                                     std::chrono::steady_clock::now() - facts.start)
                                     .count());
    return;
  }
  (status >= 500 ? m.system_errors : m.user_errors).with({op}).add();
  const std::string_view type = short_type(error_type);
  if (type == "ThrottlingException" || type == "ProvisionedThroughputExceededException")
    m.throttled.with({op}).add();
  else if (type == "ConditionalCheckFailedException")
    m.condition_failed.with({op, facts.table}).add();
  else if (type == "TransactionConflictException")
    m.conflicts.with({op}).add();
} catch (...) {
  // Out of memory for a new series: the request is answered all the same.
}

}  // namespace jormun::api
