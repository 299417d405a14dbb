// What the transport hands to the layer above and what it expects back.
// The handler sees neither sockets nor Beast message types beyond read-only
// header access, so api/ can be tested by building a Request directly.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace jormun::http {

struct Response;

// Delivers the answer to a request whose handler deferred it. Call exactly
// once, from any thread.
using Completion = std::function<void(Response&&)>;

// The transport's side of Request::defer.
class Deferrer {
 public:
  virtual Completion defer() = 0;

 protected:
  ~Deferrer() = default;
};

// One decoded HTTP request. A view over the parsed header (which must outlive
// it) plus the body, which it owns.
class Request {
 public:
  // `body` is already decoded: a gzip Content-Encoding has been inflated;
  // then `encoded_body` is the body as it arrived (else empty), which must
  // outlive the request. `deferrer` serves defer() (see there) and must
  // outlive the request.
  Request(std::string_view method, std::string_view target,
          const boost::beast::http::fields& headers, std::string body,
          std::string_view encoded_body, std::string_view request_id, Deferrer& deferrer)
      : method_(method),
        target_(target),
        headers_(headers),
        body_(std::move(body)),
        encoded_body_(encoded_body),
        request_id_(request_id),
        deferrer_(deferrer) {}

  // "POST", "GET", ... exactly as sent.
  std::string_view method() const { return method_; }
  // The request target: path plus any query ("/" for DynamoDB calls).
  std::string_view target() const { return target_; }
  // Value of header `name` (case-insensitive), or "" when absent. Typical
  // names: "X-Amz-Target", "Content-Type", "Authorization", "Accept-Encoding".
  std::string_view header(std::string_view name) const;
  // Calls f(name, value) for every header in the order received: one pass,
  // for a caller that wants several of them.
  template <typename F>
  void for_each_header(F&& f) const {
    for (const auto& field : headers_)
      f(std::string_view(field.name_string()), std::string_view(field.value()));
  }
  // The decoded body bytes.
  const std::string& body() const { return body_; }
  // The same, for a handler that parses it in place (no copy).
  std::string& mutable_body() { return body_; }
  // The body as sent, before its Content-Encoding was decoded (what a
  // signature covers); empty when it came unencoded and body() is that.
  std::string_view encoded_body() const { return encoded_body_; }
  // The x-amzn-RequestId the response will carry; for log lines.
  std::string_view request_id() const { return request_id_; }

  // Answers later instead of on return, for a handler that hands the work to
  // another thread: the Response the handler leaves is ignored, and what is
  // passed to the returned Completion is sent instead. Call at most once,
  // while the handler runs. The request's header and body views stay valid
  // only until the handler returns; copy what the deferred work needs.
  Completion defer() {
    deferred_ = true;
    return deferrer_.defer();
  }
  bool deferred() const { return deferred_; }

 private:
  std::string_view method_;
  std::string_view target_;
  const boost::beast::http::fields& headers_;
  std::string body_;
  std::string_view encoded_body_;
  std::string_view request_id_;
  Deferrer& deferrer_;
  bool deferred_ = false;
};

// What the handler answers. The transport adds x-amzn-RequestId,
// x-amz-crc32, Date, Content-Length and, when it compresses the body,
// Content-Encoding.
struct Response {
  int status = 200;
  // Static text (a literal): it is read when the answer is written.
  std::string_view content_type = "application/x-amz-json-1.0";
  std::string body;
  // Header lines ("Name: value\r\n" each) added as they are, such as the
  // console's security headers; text that outlives the answer's writing.
  std::string_view extra_headers;
};

// Called once per POST request on a worker thread, concurrently with other
// calls; it must be safe to run in parallel. It fills the Response, or calls
// Request::defer() and answers through the Completion later. If it throws,
// the client gets HTTP 500 with DynamoDB's InternalServerError body and the
// exception is logged; the connection and the server keep working. (A
// deferred answer's work must catch its own exceptions.)
using Handler = std::function<void(Request&, Response&)>;

}  // namespace jormun::http
