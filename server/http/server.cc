#include "http/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <csignal>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "http/dispatcher.h"
#include "http/session.h"
#include "http/session_registry.h"

namespace jormun::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

tcp::endpoint resolve(const std::string& host, std::uint16_t port) {
  asio::io_context ctx;
  tcp::resolver resolver(ctx);
  return resolver.resolve(host, std::to_string(port), tcp::resolver::passive)
      .begin()
      ->endpoint();
}

}  // namespace

// Member order matters: the io_context is destroyed before the registry and
// the dispatcher, because destroying it destroys the sessions still queued in
// it, and those use both.
struct Server::Impl {
  Impl(const ServerOptions& opts, Handler handler)
      : options(opts),
        dispatcher(options, std::move(handler)),
        acceptor(asio::make_strand(io)) {
    const tcp::endpoint endpoint = resolve(options.host, options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(io),
                          [this](boost::system::error_code ec, tcp::socket socket) {
                            on_accept(ec, std::move(socket));
                          });
  }

  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;  // stopped
    if (ec) {
      // Usually descriptor exhaustion; the listener itself is still fine.
      log::error("accept failed: " + ec.message());
    } else {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto session =
          std::make_shared<Session>(std::move(socket), dispatcher, options, registry);
      if (registry.add(session)) session->start();
    }
    accept();
  }

  // Runs on the acceptor's strand, so it never races the accept loop.
  void begin_stop() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    if (signals) signals->cancel(ignored);
    registry.shut_down_all();
  }

  // An exception escaping a completion handler must not take the process
  // down: log it and go back to serving.
  void work() {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        log::error(std::string("worker caught: ") + e.what());
      }
    }
  }

  const ServerOptions options;
  const Dispatcher dispatcher;
  SessionRegistry registry;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::optional<asio::signal_set> signals;
  std::uint16_t port = 0;
};

Server::Server(const ServerOptions& options, Handler handler)
    : impl_(std::make_unique<Impl>(options, std::move(handler))) {}

Server::~Server() = default;

void Server::run() {
  impl_->accept();
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < impl_->options.threads; ++i) {
    workers.emplace_back([this] { impl_->work(); });
  }
  impl_->work();
  for (auto& worker : workers) worker.join();
}

void Server::stop() {
  asio::post(impl_->acceptor.get_executor(),
             [impl = impl_.get()] { impl->begin_stop(); });
}

void Server::stop_on_signals() {
  impl_->signals.emplace(impl_->acceptor.get_executor(), SIGINT, SIGTERM);
  impl_->signals->async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;  // cancelled by stop()
    log::info("signal " + std::to_string(signal) + ": stopping");
    stop();
  });
}

std::uint16_t Server::port() const { return impl_->port; }

}  // namespace jormun::http
