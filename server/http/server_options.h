// Tunables of the HTTP transport, filled by main from jormun.yaml and flags.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace boost::asio::ssl {
class context;
}

namespace jormun::http {

struct ServerOptions {
  // Address to bind; "0.0.0.0" or "::" for all interfaces.
  std::string host = "0.0.0.0";
  // 0 asks the kernel for a free port; Server::port() tells which.
  std::uint16_t port = 8000;
  // HTTPS on tls_port of the same host, next to plain HTTP, when set (see
  // make_tls_context). tls_port 0 asks the kernel; Server::tls_port() tells.
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::uint16_t tls_port = 8443;
  // Worker threads running the I/O loop and the handler.
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  // DynamoDB's documented request limit (BatchWriteItem: "total request size
  // exceeds 16 MB"). Larger bodies, before or after gunzip, get HTTP 413.
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  // Connections served at once; 0: no limit. A connection beyond it gets one
  // ThrottlingException answer and is closed.
  std::size_t max_connections = 10000;
  // Request body bytes held in memory at once, over all connections. A
  // request whose declared body (or, chunked, max_body_bytes) does not fit
  // gets ThrottlingException. REQUIRES: at least max_body_bytes.
  std::size_t max_inflight_body_bytes = std::size_t{256} * 1024 * 1024;
  // How long a keep-alive connection may sit between requests.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
  // Deadline for the header of a connection's first request, which guards
  // against clients that connect and never speak.
  std::chrono::milliseconds header_timeout = std::chrono::seconds(30);
  // Deadline for receiving a request body once its header has arrived, and
  // for sending an answer; also how long a rejected body is drained.
  std::chrono::milliseconds body_timeout = std::chrono::seconds(60);
  // How long an I/O thread with at most kSpinConnections connections polls
  // for more work before it sleeps (0: never). A client that sends its next
  // request as soon as it reads an answer then finds the thread awake: the
  // sleep and the wake-up cost more than a GetItem does.
  std::chrono::microseconds poll_spin = std::chrono::microseconds(50);
  static constexpr unsigned kSpinConnections = 4;
  // Responses at least this large are compressed for clients whose
  // Accept-Encoding admits gzip or deflate; DynamoDB's threshold is 4 KB.
  std::size_t compress_min_response_bytes = 4096;
  // Origins whose pages may call the server from a browser (see CorsPolicy);
  // none by default. main fills it from server.cors_origins.
  std::vector<std::string> cors_origins;
  // Answers GET /metrics when set, given the request's Host header; unset,
  // /metrics is refused as any other GET but the health check is.
  std::function<Response(std::string_view host)> metrics;
  // Answers GET /console and the paths under it when set, given the
  // request's target and Host header; unset, they are refused as any other
  // GET but the health check is.
  std::function<Response(std::string_view target, std::string_view host)> console;
};

}  // namespace jormun::http
