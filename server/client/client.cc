#include "client/client.h"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "client/connection.h"

namespace jormun::client {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

bool retryable(int status, std::string_view type) {
  return status >= 500 || type == "ThrottlingException" ||
         type == "ProvisionedThroughputExceededException" ||
         type == "RequestLimitExceeded";
}

// DynamoDB's error body: {"__type": "prefix#Name", "message": "..."}.
ApiFailure failure_of(int status, const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  std::string type, message = body;
  if (!doc.HasParseError() && doc.IsObject()) {
    if (auto t = doc.FindMember("__type"); t != doc.MemberEnd() && t->value.IsString()) {
      type = t->value.GetString();
      if (auto hash = type.rfind('#'); hash != std::string::npos) type.erase(0, hash + 1);
    }
    for (const char* name : {"message", "Message"})
      if (auto m = doc.FindMember(name); m != doc.MemberEnd() && m->value.IsString())
        message = m->value.GetString();
  }
  return ApiFailure(status, type, message);
}

}  // namespace

Endpoint parse_endpoint(std::string_view url, std::string_view what) {
  Endpoint e;
  e.tls = url.starts_with("https://");
  const std::string_view scheme = e.tls ? "https://" : "http://";
  if (!url.starts_with(scheme))
    throw std::invalid_argument(std::string(what) +
                                ": expected http://HOST[:PORT] or https://HOST[:PORT], got '" +
                                std::string(url) + "'");
  std::string_view rest = url.substr(scheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    throw std::invalid_argument(std::string(what) + ": a path is not supported: '" + std::string(url) +
                                "'");
  std::string_view port;
  if (rest.starts_with('[')) {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos)
      throw std::invalid_argument(std::string(what) + ": unclosed '[' in '" + std::string(url) + "'");
    e.host = rest.substr(1, close - 1);
    if (rest.size() > close + 1) {
      if (rest[close + 1] != ':')
        throw std::invalid_argument(std::string(what) + ": bad port in '" + std::string(url) + "'");
      port = rest.substr(close + 2);
    }
  } else {
    const auto colon = rest.find(':');
    e.host = rest.substr(0, colon);
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (e.host.empty())
    throw std::invalid_argument(std::string(what) + ": no host in '" + std::string(url) + "'");
  if (port.empty()) port = e.tls ? "443" : "80";
  if (port.find_first_not_of("0123456789") != std::string_view::npos || port.size() > 5)
    throw std::invalid_argument(std::string(what) + ": bad port in '" + std::string(url) + "'");
  e.port = port;
  e.host_header = (e.host.find(':') == std::string::npos ? e.host : "[" + e.host + "]") +
                  ":" + e.port;
  return e;
}

ApiFailure::ApiFailure(int status, std::string type, const std::string& message)
    : std::runtime_error(type.empty() ? "HTTP " + std::to_string(status) + ": " + message
                                      : type + ": " + message),
      status_(status),
      type_(std::move(type)) {}

Client::Client(Endpoint endpoint)
    : endpoint_(std::move(endpoint)),
      connection_(std::make_unique<Connection>(
          endpoint_.host, endpoint_.port,
          endpoint_.tls ? make_tls_client_context(endpoint_.ca_file) : nullptr)) {}

Client::~Client() = default;

void Client::interrupt() { connection_->interrupt(); }

Client::Answer Client::round_trip(http::request<http::string_body>& req,
                                  std::chrono::milliseconds timeout) {
  req.prepare_payload();
  auto res = connection_->exchange(req, std::chrono::steady_clock::now() + timeout);
  return {static_cast<int>(res.result_int()), std::move(res.body()),
          std::string(res[http::field::content_type])};
}

Client::Answer Client::exchange(std::string_view method, std::string_view target,
                                std::string_view operation, const std::string& body,
                                std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, endpoint_.host_header);
  if (!operation.empty()) {
    req.set(http::field::content_type, "application/x-amz-json-1.0");
    req.set("X-Amz-Target", "DynamoDB_20120810." + std::string(operation));
  }
  std::vector<auth::HttpHeader> headers;
  for (const auto& field : req) headers.push_back({field.name_string(), field.value()});
  for (auto& [name, value] :
       auth::sign_request(method, target, headers, body, endpoint_.credentials,
                          endpoint_.region, "dynamodb", auth::Clock::now()))
    req.set(name, value);
  req.body() = body;
  return round_trip(req, timeout);
}

template <class Once>
Client::Answer Client::with_reconnect(const Once& once) {
  const bool kept = connection_->is_open();
  try {
    return once();
  } catch (const boost::system::system_error& e) {
    // The server closes idle keep-alive connections: one fresh try. Not
    // for a new connection, nor after a timeout: a request ends within it.
    if (!kept || e.code() == beast::error::timeout)
      throw std::runtime_error("cannot reach " + endpoint_.host_header + ": " +
                               e.code().message());
  }
  try {
    return once();
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot reach " + endpoint_.host_header + ": " +
                             e.code().message());
  }
}

Client::Answer Client::send(std::string_view method, std::string_view target,
                            std::string_view operation, const std::string& body,
                            std::chrono::milliseconds timeout) {
  return with_reconnect([&] { return exchange(method, target, operation, body, timeout); });
}

Client::Answer Client::forward(std::string_view target,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body) {
  return with_reconnect([&] {
    http::request<http::string_body> req{http::verb::post, target, 11};
    for (const auto& [name, value] : headers) req.insert(name, value);
    req.body() = body;
    return round_trip(req, endpoint_.timeout);
  });
}

rapidjson::Document Client::call(std::string_view operation, const std::string& body,
                                 std::optional<std::chrono::milliseconds> timeout) {
  auto delay = std::chrono::milliseconds(50);
  for (int attempt = 1;; ++attempt) {
    Answer answer = send("POST", "/", operation, body, timeout.value_or(endpoint_.timeout));
    if (answer.status == 200) {
      rapidjson::Document doc;
      doc.Parse(answer.body.data(), answer.body.size());
      if (doc.HasParseError() || !doc.IsObject())
        throw std::runtime_error(std::string(operation) + ": the answer is not a JSON object");
      return doc;
    }
    ApiFailure failure = failure_of(answer.status, answer.body);
    if (attempt >= endpoint_.tries || !retryable(failure.status(), failure.type())) throw failure;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
}

std::string Client::get(std::string_view path) {
  Answer answer = send("GET", path, "", "", endpoint_.timeout);
  if (answer.status != 200) throw ApiFailure(answer.status, "", answer.body);
  return std::move(answer.body);
}

}  // namespace jormun::client
