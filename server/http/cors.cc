#include "http/cors.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <utility>

namespace jormun::http {
namespace {

namespace beast_http = boost::beast::http;

// What a page may read of an answer besides the CORS-safelisted headers: the
// ones the AWS SDKs for JavaScript look at.
constexpr std::string_view kExposed =
    "x-amzn-RequestId, x-amzn-ErrorType, x-amz-crc32, x-amz-id-2, Date";
// How long a browser may reuse a preflight's answer: one day. DynamoDB's own
// value is not documented.
constexpr std::string_view kMaxAge = "86400";
constexpr std::string_view kAnyPort = ":*";

void append(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// Request header values are echoed into the answer; Beast's parser already
// refuses line breaks in them, and this keeps it so whatever parsed them.
std::string_view header_safe(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos
             ? value
             : std::string_view{};
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  for (const std::string& o : origins_) any_ = any_ || o == "*";
}

bool CorsPolicy::allows(std::string_view origin) const {
  for (const std::string& pattern : origins_) {
    if (boost::beast::iequals(pattern, origin)) return true;
    if (!pattern.ends_with(kAnyPort)) continue;
    const std::string_view host(pattern.data(), pattern.size() - kAnyPort.size());
    if (origin.size() < host.size() ||
        !boost::beast::iequals(origin.substr(0, host.size()), host))
      continue;
    const std::string_view port = origin.substr(host.size());
    if (port.empty()) return true;
    if (port.size() > 1 && port.size() <= 6 && port[0] == ':' &&
        port.find_first_not_of("0123456789", 1) == std::string_view::npos)
      return true;
  }
  return false;
}

std::string_view CorsPolicy::allow_origin(std::string_view origin) const {
  if (header_safe(origin).empty()) return {};
  if (any_) return "*";
  return allows(origin) ? origin : std::string_view{};
}

std::string cors_answer_headers(std::string_view allow_origin) {
  std::string out;
  if (allow_origin.empty()) return out;
  append(out, "Access-Control-Allow-Origin", allow_origin);
  append(out, "Access-Control-Expose-Headers", kExposed);
  return out;
}

std::string cors_preflight_headers(std::string_view allow_origin,
                                   const beast_http::fields& request) {
  std::string out = cors_answer_headers(allow_origin);
  if (out.empty()) return out;
  append(out, "Access-Control-Allow-Methods",
         header_safe(request[beast_http::field::access_control_request_method]));
  if (const std::string_view asked =
          header_safe(request[beast_http::field::access_control_request_headers]);
      !asked.empty())
    append(out, "Access-Control-Allow-Headers", asked);
  append(out, "Access-Control-Max-Age", kMaxAge);
  return out;
}

bool is_preflight(const beast_http::fields& request) {
  return request.count(beast_http::field::origin) != 0 &&
         request.count(beast_http::field::access_control_request_method) != 0;
}

}  // namespace jormun::http
