// A DynamoDB client of one connection: JSON operations over HTTP/1.1
// keep-alive (Boost.Beast), signed with SigV4 (auth/signer.h). One per
// thread. jormun-admin talks to a server with it, and a read replica to its
// primary (server/replication/).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <rapidjson/document.h>

#include "auth/signer.h"

namespace jormun::client {

// Where the server is and how to sign for it.
struct Endpoint {
  std::string host;  // as the URL names it, without brackets
  std::string port;
  std::string host_header;  // "host:port", as sent and signed
  // https: TLS, the server's certificate checked against `ca_file` (PEM:
  // the CAs to trust) or the system's CA store when it is empty, and
  // required to name `host`.
  bool tls = false;
  std::string ca_file;
  // Every request is signed: the server wants a signature even when it
  // does not check it.
  auth::Credentials credentials;
  std::string region = "us-east-1";
  // How long one request may take in all, whatever the server does:
  // connecting, sending it and reading its whole answer (a Scan page reads
  // up to 1 MB).
  std::chrono::milliseconds timeout{60000};
  // How many times call() sends a request whose answer is a throttling
  // error or a server fault (5xx), pausing between them as the SDKs do.
  int tries = 8;
};

// Parses "http://HOST[:PORT][/]" (the port defaults to 80) or
// "https://HOST[:PORT][/]" (443, and `tls` set). Throws
// std::invalid_argument naming `what` (the option or key that gave the URL)
// and what is wrong.
Endpoint parse_endpoint(std::string_view url, std::string_view what = "--endpoint");

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

class Connection;

class Client {
 public:
  // Throws std::runtime_error when the endpoint's CA file cannot be loaded.
  explicit Client(Endpoint endpoint);
  ~Client();

  // Runs DynamoDB operation `operation` (e.g. "Scan") with the JSON `body`
  // and returns the parsed answer. Throttling and server faults (5xx) are
  // retried with exponential backoff, Endpoint::tries in all, as the SDKs
  // do; a keep-alive connection the server dropped is reopened once (a
  // request that timed out is not sent again). Throws ApiFailure for an
  // error answer, std::runtime_error when the server cannot be reached or
  // does not answer within Endpoint::timeout (client::CertificateError,
  // client/connection.h, when its TLS certificate is refused). `timeout`,
  // when given, bounds each of this call's requests instead (an action
  // known to take long).
  rapidjson::Document call(std::string_view operation, const std::string& body,
                           std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // The body of GET `path` (e.g. "/metrics"); throws ApiFailure unless 200.
  std::string get(std::string_view path);

  // From any thread: the request under way, or the next, ends at once with
  // std::runtime_error, and so does every later one (a thread stopping
  // does not wait for a server that does not answer).
  void interrupt();

  // An answer as the server sent it.
  struct Answer {
    int status;
    std::string body;
    std::string content_type;
  };
  // Sends a POST to `target` with exactly `headers` (name, value; Host and
  // the signature included, as a client sent them to us) and `body`, and
  // returns the answer as it came: a read replica passing a write on to its
  // primary. No retry beyond a dropped keep-alive connection (the client
  // that sent it retries as it would with us). Throws std::runtime_error
  // when the server cannot be reached.
  Answer forward(std::string_view target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body);

 private:
  Answer send(std::string_view method, std::string_view target, std::string_view operation,
              const std::string& body, std::chrono::milliseconds timeout);
  Answer exchange(std::string_view method, std::string_view target,
                  std::string_view operation, const std::string& body,
                  std::chrono::milliseconds timeout);
  // Writes `req` and reads its answer within `timeout`, opening the
  // connection first when none is open.
  Answer round_trip(boost::beast::http::request<boost::beast::http::string_body>& req,
                    std::chrono::milliseconds timeout);
  // Runs `once`; when a connection kept from an earlier request fails, once
  // more on a new one.
  template <class Once>
  Answer with_reconnect(const Once& once);

  Endpoint endpoint_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace jormun::client
