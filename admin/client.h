// A DynamoDB client of one connection: JSON operations over HTTP/1.1
// keep-alive (Boost.Beast), signed with SigV4 (auth/signer.h). One per
// thread.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <rapidjson/document.h>

#include "auth/signer.h"

namespace jormun::admin {

// Where the server is and how to sign for it.
struct Endpoint {
  std::string host;  // as the URL names it, without brackets
  std::string port;
  std::string host_header;  // "host:port", as sent and signed
  // Every request is signed: the server wants a signature even when it
  // does not check it.
  auth::Credentials credentials;
  std::string region = "us-east-1";
};

// Parses "http://HOST[:PORT][/]" (the port defaults to 80). Throws
// std::invalid_argument naming what is wrong; https is refused, since the
// client speaks plain HTTP only.
Endpoint parse_endpoint(std::string_view url);

// An error answer of the server: DynamoDB's error type (after the '#') and
// message, or the HTTP status of an answer that is not a DynamoDB error.
class ApiFailure : public std::runtime_error {
 public:
  ApiFailure(int status, std::string type, const std::string& message);
  int status() const { return status_; }
  const std::string& type() const { return type_; }

 private:
  int status_;
  std::string type_;
};

class Client {
 public:
  explicit Client(Endpoint endpoint);

  // Runs DynamoDB operation `operation` (e.g. "Scan") with the JSON `body`
  // and returns the parsed answer. Throttling and server faults (5xx) are
  // retried with exponential backoff, 8 tries in all, as the SDKs do; a
  // dropped keep-alive connection is reopened once. Throws ApiFailure for
  // an error answer, std::runtime_error when the server cannot be reached.
  rapidjson::Document call(std::string_view operation, const std::string& body);

  // The body of GET `path` (e.g. "/metrics"); throws ApiFailure unless 200.
  std::string get(std::string_view path);

 private:
  struct Answer {
    int status;
    std::string body;
  };
  Answer send(std::string_view method, std::string_view target, std::string_view operation,
              const std::string& body);
  Answer exchange(std::string_view method, std::string_view target,
                  std::string_view operation, const std::string& body);
  void connect();

  Endpoint endpoint_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  bool connected_ = false;
};

}  // namespace jormun::admin
