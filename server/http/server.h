// The HTTP/1.1 front door: a listening socket, N worker threads with one
// event loop each, and a graceful stop. It knows nothing of
// DynamoDB operations: every POST goes to the Handler it is given.
#pragma once

#include <cstdint>
#include <memory>

#include "http/message.h"
#include "http/server_options.h"

namespace jormun::http {

// Usage (main):
//   Server server(options, handler);   // binds and listens
//   server.stop_on_signals();           // SIGINT/SIGTERM -> stop()
//   server.run();                       // blocks until stopped
//
// Thread-safety: stop() and port() may be called from any thread at any time;
// the other members from one thread.
class Server {
 public:
  // Binds options.host:options.port (and options.tls_port with options.tls)
  // and listens, so clients may connect (and port() is known) before run().
  // Throws boost::system::system_error if an address cannot be resolved or
  // bound.
  Server(const ServerOptions& options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves on options.threads threads, the calling one included, and returns
  // once stop() has run and every connection has closed. Call at most once.
  void run();

  // Graceful and idempotent: stops accepting, closes idle connections, lets
  // requests in progress finish (their answers carry "Connection: close"),
  // after which run() returns.
  void stop();

  // Makes SIGINT and SIGTERM call stop() while run() is active. Call before
  // run(); the signals are handled by the server until it stops.
  void stop_on_signals();

  // The bound port; the kernel's choice when options.port was 0.
  std::uint16_t port() const;
  // The bound HTTPS port, or 0 when options.tls is not set.
  std::uint16_t tls_port() const;
  // Connections open now, over both ports.
  std::size_t connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jormun::http
