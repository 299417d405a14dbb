#include "http/dispatcher.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <exception>
#include <string>
#include <utility>

#include "common/log.h"
#include "http/canned_responses.h"
#include "http/gzip.h"
#include "http/request_id.h"

namespace jormun::http {
namespace {

namespace beast_http = boost::beast::http;

std::string describe_current_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "non-standard exception";
  }
}

bool is_health_check(const WireRequest& request) {
  if (request.method() != beast_http::verb::get) return false;
  const std::string_view target = request.target();
  return target == "/" || target.starts_with("/?");
}

}  // namespace

Dispatcher::Dispatcher(const ServerOptions& options, Handler handler)
    : max_body_bytes_(options.max_body_bytes),
      gzip_min_response_bytes_(options.gzip_min_response_bytes),
      handler_(std::move(handler)) {}

WireResponse Dispatcher::answer(WireRequest&& request) const {
  const std::string id = new_request_id();
  Response response;
  if (is_health_check(request)) {
    response = health_response(request[beast_http::field::host]);
  } else if (request.method() != beast_http::verb::post) {
    response = unsupported_request_response(request.method_string(), request.target());
  } else {
    response = answer_post(request, id);
  }
  return to_wire(
      std::move(response),
      WireOptions{.request_id = id,
                  .http_version = request.version(),
                  .keep_alive = request.keep_alive(),
                  .accept_encoding = request[beast_http::field::accept_encoding],
                  .gzip_min_bytes = gzip_min_response_bytes_});
}

WireResponse Dispatcher::answer_too_large(const WireRequest& header) const {
  const std::string id = new_request_id();
  return to_wire(too_large_response(max_body_bytes_),
                 WireOptions{.request_id = id,
                             .http_version = header.version(),
                             .keep_alive = false,
                             .accept_encoding = {},
                             .gzip_min_bytes = gzip_min_response_bytes_});
}

Response Dispatcher::answer_post(WireRequest& request,
                                 std::string_view request_id) const {
  const std::string_view encoding = request[beast_http::field::content_encoding];
  if (encoding.empty() || boost::beast::iequals(encoding, "identity")) {
    return call_handler(request, std::move(request.body()), request_id);
  }
  // DynamoDB answers 500 both for codings it does not know and for broken gzip.
  if (!boost::beast::iequals(encoding, "gzip")) {
    log::error(std::string("request ") + std::string(request_id) +
                              ": unsupported Content-Encoding " + std::string(encoding));
    return internal_error_response();
  }
  std::string body;
  switch (gunzip(request.body(), max_body_bytes_, body)) {
    case GunzipStatus::kOk:
      return call_handler(request, std::move(body), request_id);
    case GunzipStatus::kTooLarge:
      return too_large_response(max_body_bytes_);
    case GunzipStatus::kCorrupt:
      break;
  }
  log::error(
      std::string("request ") + std::string(request_id) + ": corrupt gzip body");
  return internal_error_response();
}

Response Dispatcher::call_handler(const WireRequest& wire, std::string body,
                                  std::string_view request_id) const {
  Request request(wire.method_string(), wire.target(), wire, std::move(body),
                        request_id);
  Response response;
  try {
    handler_(request, response);
  } catch (...) {
    log::error(std::string("request ") + std::string(request_id) +
                              ": handler failed: " + describe_current_exception());
    response = internal_error_response();
  }
  return response;
}

}  // namespace jormun::http
