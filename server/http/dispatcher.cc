#include "http/dispatcher.h"

#include <atomic>
#include <boost/beast/http/field.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/log.h"
#include "http/accept_encoding.h"
#include "http/canned_responses.h"
#include "http/content_coding.h"
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

bool is_metrics_scrape(const WireRequest& request) {
  if (request.method() != beast_http::verb::get) return false;
  const std::string_view target = request.target();
  return target == "/metrics" || target.starts_with("/metrics?");
}

bool is_console_request(const WireRequest& request) {
  if (request.method() != beast_http::verb::get) return false;
  const std::string_view target = request.target();
  return target == "/console" || target.starts_with("/console/") ||
         target.starts_with("/console?");
}

}  // namespace

// A deferred answer's sink: the first answer wins, so a handler that throws
// after deferring still gets its 500 out and a late Completion is dropped.
class DeferredReply {
 public:
  DeferredReply(const WireOptions& wire, std::function<void(WireResponse&&)> send)
      : wire_(wire), send_(std::move(send)) {}
  void send(Response&& response) {
    if (!answered_.exchange(true)) send_(to_wire(std::move(response), wire_));
  }

 private:
  const WireOptions wire_;
  const std::function<void(WireResponse&&)> send_;
  std::atomic<bool> answered_ = false;
};

// Request::defer for one call of the handler.
class CallDeferrer final : public Deferrer {
 public:
  CallDeferrer(const WireOptions& wire, Responder& responder)
      : wire_(wire), responder_(responder) {}
  Completion defer() override {
    deferred_ = std::make_shared<DeferredReply>(wire_, responder_.respond_later());
    return [deferred = deferred_](Response&& r) { deferred->send(std::move(r)); };
  }
  DeferredReply* deferred() const { return deferred_.get(); }

 private:
  const WireOptions& wire_;
  Responder& responder_;
  std::shared_ptr<DeferredReply> deferred_;
};

Dispatcher::Dispatcher(const ServerOptions& options, Handler handler)
    : max_body_bytes_(options.max_body_bytes),
      compress_min_response_bytes_(options.compress_min_response_bytes),
      cors_(options.cors_origins),
      metrics_(options.metrics),
      console_(options.console),
      handler_(std::move(handler)) {}

WireOptions Dispatcher::wire_options(const WireRequest& request, bool keep_alive) const {
  const std::string_view origin = request[beast_http::field::origin];
  WireOptions wire;
  wire.request_id = new_request_id();
  wire.http_version = request.version();
  wire.keep_alive = keep_alive;
  wire.accepted = choose_coding(request);
  wire.compress_min_bytes = compress_min_response_bytes_;
  if (!origin.empty()) {
    wire.cors_headers = cors_answer_headers(cors_.allow_origin(origin));
    wire.vary_origin = cors_.varies_by_origin();
  }
  return wire;
}

void Dispatcher::answer(WireRequest&& request, Responder& responder) const {
  WireOptions wire = wire_options(request, request.keep_alive());
  if (is_health_check(request)) {
    responder.respond(to_wire(health_response(request[beast_http::field::host]), wire));
  } else if (metrics_ && is_metrics_scrape(request)) {
    responder.respond(to_wire(metrics_(request[beast_http::field::host]), wire));
  } else if (console_ && is_console_request(request)) {
    responder.respond(
        to_wire(console_(request.target(), request[beast_http::field::host]), wire));
  } else if (request.method() == beast_http::verb::options) {
    answer_options(request, wire, responder);
  } else if (request.method() != beast_http::verb::post) {
    responder.respond(to_wire(
        unsupported_request_response(request.method_string(), request.target()), wire));
  } else {
    answer_post(request, wire, responder);
  }
}

WireResponse Dispatcher::answer_too_large(const WireRequest& header) const {
  return answer_unread(too_large_response(max_body_bytes_), header);
}

WireResponse Dispatcher::answer_unread(Response&& response,
                                       const WireRequest& header) const {
  return to_wire(std::move(response), wire_options(header, false));
}

// A preflight is answered here, before any signature or Host check: browsers
// send neither credentials nor a body with it, and it reads and changes
// nothing.
void Dispatcher::answer_options(const WireRequest& request, WireOptions& wire,
                                Responder& responder) const {
  const std::string_view origin = request[beast_http::field::origin];
  if (!is_preflight(request)) {
    return responder.respond(to_wire(
        unsupported_request_response(request.method_string(), request.target()), wire));
  }
  const std::string_view allowed = cors_.allow_origin(origin);
  if (allowed.empty()) {
    return responder.respond(to_wire(origin_refused_response(origin), wire));
  }
  wire.cors_headers = cors_preflight_headers(allowed, request);
  responder.respond(to_wire(preflight_response(), wire));
}

void Dispatcher::answer_post(WireRequest& request, const WireOptions& wire,
                             Responder& responder) const {
  const std::optional<Coding> coding =
      parse_content_encoding(request[beast_http::field::content_encoding]);
  if (coding == Coding::kIdentity) {
    return call_handler(request, std::move(request.body()), "", wire, responder);
  }
  // DynamoDB answers a coding it does not read, and a body that does not
  // decode, with HTTP 500 (docs/architecture.md, Compression). Both are the
  // client's doing, so no error log.
  std::string body;
  switch (coding ? decode_body(*coding, request.body(), max_body_bytes_, body)
                 : DecodeStatus::kCorrupt) {
    case DecodeStatus::kOk:
      return call_handler(request, std::move(body), request.body(), wire, responder);
    case DecodeStatus::kTooLarge:
      return responder.respond(to_wire(too_large_response(max_body_bytes_), wire));
    case DecodeStatus::kCorrupt:
      break;
  }
  responder.respond(to_wire(internal_error_response(), wire));
}

void Dispatcher::call_handler(const WireRequest& wire_request, std::string body,
                              std::string_view encoded_body, const WireOptions& wire,
                              Responder& responder) const {
  CallDeferrer deferrer(wire, responder);
  Request request(wire_request.method_string(), wire_request.target(), wire_request,
                  std::move(body), encoded_body, wire.request_id.view(), deferrer);
  Response response;
  try {
    handler_(request, response);
  } catch (...) {
    log::error("request " + wire.request_id.str() +
               ": handler failed: " + describe_current_exception());
    response = internal_error_response();
    if (deferrer.deferred()) return deferrer.deferred()->send(std::move(response));
  }
  if (!deferrer.deferred()) responder.respond(to_wire(std::move(response), wire));
}

}  // namespace jormun::http
