#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/guarded.h"
#include "common/log.h"
#include "http/body_budget.h"
#include "http/dispatcher.h"
#include "http/repeated_error.h"
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

// A failed accept is retried after a pause that doubles from the first to
// the last, and is reset by a successful accept.
constexpr std::chrono::milliseconds kFirstAcceptPause{10};
constexpr std::chrono::milliseconds kLastAcceptPause{1000};
// At most one "accept failed" line per interval, with the count it stands for.
constexpr std::chrono::seconds kAcceptErrorLogInterval{10};
// Connections over max_connections being refused at once (each holds a
// descriptor until its answer is out); more are closed without an answer.
constexpr std::size_t kMaxRefusing = 256;

using Acceptor = asio::basic_socket_acceptor<tcp, LoopExecutor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>,
                                         LoopExecutor>;

// A listening socket with its accept back-off; `tls` is null for plain HTTP.
struct Listener {
  Listener(LoopExecutor loop, const std::string& host, std::uint16_t wanted,
           std::shared_ptr<asio::ssl::context> context)
      : acceptor(loop), pause_timer(loop), tls(std::move(context)) {
    const tcp::endpoint endpoint = resolve(host, wanted);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();
  }

  Acceptor acceptor;
  Timer pause_timer;
  std::chrono::milliseconds pause{0};
  RepeatedError errors{kAcceptErrorLogInterval};
  const std::shared_ptr<asio::ssl::context> tls;
  std::uint16_t port = 0;
};

// One worker thread's event loop, and how many connections it serves.
struct Loop {
  // Declared first, so it outlives the context, whose destruction destroys
  // the sessions still queued in it.
  std::atomic<unsigned> connections = 0;
  asio::io_context context{1};
};

}  // namespace

// One event loop per worker thread: a connection is handed to one loop when
// it is accepted and stays there, so no lock or strand is taken per event.
// Loop 0 also runs the acceptor, the signal set and the stop.
//
// Member order matters: the loops are destroyed before the registry, the
// budget, the counts and the dispatcher, because destroying a loop destroys
// the sessions still queued in it, and those use them; the acceptor, signal
// set and listeners go before the loops.
struct Server::Impl {
  Impl(const ServerOptions& opts, Handler handler)
      : options(opts),
        dispatcher(options, std::move(handler)),
        body_budget(options.max_inflight_body_bytes) {
    const unsigned n = std::max(1u, options.threads);
    for (unsigned i = 0; i < n; ++i) {
      loops.push_back(std::make_unique<Loop>());
      // A loop with no connection yet must not return from run().
      guards.emplace_back(loops.back()->context.get_executor());
    }
    const LoopExecutor loop0 = loops[0]->context.get_executor();
    listeners.push_back(
        std::make_unique<Listener>(loop0, options.host, options.port, nullptr));
    if (options.tls) {
      listeners.push_back(
          std::make_unique<Listener>(loop0, options.host, options.tls_port, options.tls));
    }
  }

  void accept(Listener& listener) {
    Loop& loop = *loops[next_loop];
    next_loop = (next_loop + 1) % loops.size();
    listener.acceptor.async_accept(
        loop.context.get_executor(),
        [this, &listener, &loop](boost::system::error_code ec, Socket socket) {
          on_accept(listener, ec, std::move(socket), loop);
        });
  }

  void on_accept(Listener& listener, boost::system::error_code ec, Socket socket,
                 Loop& loop) {
    if (!listener.acceptor.is_open()) return;  // stopped
    if (ec) return pause_accepting(listener, ec);
    listener.pause = std::chrono::milliseconds::zero();
    const bool over_limit =
        options.max_connections > 0 &&
        served.load(std::memory_order_relaxed) >= options.max_connections;
    if (over_limit && refusing.load(std::memory_order_relaxed) >= kMaxRefusing) {
      boost::system::error_code ignored;
      socket.close(ignored);
      return accept(listener);
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    // A refused connection counts in `refusing`, any other in `served` and its
    // loop's count; each goes down when the session is gone.
    std::atomic<std::size_t>& count = over_limit ? refusing : served;
    count.fetch_add(1, std::memory_order_relaxed);
    loop.connections.fetch_add(1, std::memory_order_relaxed);
    if (listener.tls) {
      start_session(TlsStream(std::move(socket), *listener.tls), loop, count, over_limit);
    } else {
      start_session(PlainStream(std::move(socket)), loop, count, over_limit);
    }
    accept(listener);
  }

  template <class Stream>
  void start_session(Stream&& stream, Loop& loop, std::atomic<std::size_t>& count,
                     bool over_limit) {
    std::shared_ptr<Session<Stream>> session(
        new Session<Stream>(std::move(stream), dispatcher, options, registry,
                            body_budget),
        [&loop, &count](Session<Stream>* s) {
          delete s;
          loop.connections.fetch_sub(1, std::memory_order_relaxed);
          count.fetch_sub(1, std::memory_order_relaxed);
        });
    if (over_limit) session->refuse();
    if (registry.add(session)) session->start();
  }

  // Accept fails mostly because descriptors ran out (EMFILE, ENFILE), and
  // retrying at once fails again at once: that spun a core and flooded the
  // log. So wait, longer each time, while connections close; clients that
  // connect meanwhile wait in the listen backlog.
  void pause_accepting(Listener& listener, boost::system::error_code ec) {
    if (auto line = listener.errors.note("accept failed: " + ec.message()))
      log::error(*line);
    listener.pause = std::clamp(listener.pause * 2, kFirstAcceptPause, kLastAcceptPause);
    listener.pause_timer.expires_after(listener.pause);
    listener.pause_timer.async_wait([this, &listener](boost::system::error_code wait_ec) {
      if (!wait_ec && listener.acceptor.is_open()) accept(listener);
    });
  }

  // Runs on loop 0, so it never races the accept loop.
  void stop_listening() {
    boost::system::error_code ignored;
    for (auto& listener : listeners) {
      listener->acceptor.close(ignored);
      listener->pause_timer.cancel();
    }
    if (signals) signals->cancel(ignored);
    // Each loop now returns from run() once its last connection is gone.
    guards.clear();
  }

  // An exception escaping a completion handler must not take the process
  // down: log it and go back to serving.
  void work(Loop& loop) {
    while (!guarded("I/O loop", [&] { run_loop(loop); })) {
    }
  }

  // loop.run(), except that a loop serving few connections polls for
  // options.poll_spin after its last ready handler before it blocks.
  void run_loop(Loop& loop) {
    using Clock = std::chrono::steady_clock;
    asio::io_context& context = loop.context;
    if (options.poll_spin.count() <= 0) {
      context.run();
      return;
    }
    while (context.run_one() > 0) {
      if (loop.connections.load(std::memory_order_relaxed) >
          ServerOptions::kSpinConnections)
        continue;
      Clock::time_point until = Clock::now() + options.poll_spin;
      for (;;) {
        const std::size_t ran = context.poll();
        if (context.stopped()) return;
        const Clock::time_point now = Clock::now();
        if (ran > 0)
          until = now + options.poll_spin;
        else if (now >= until)
          break;
      }
    }
  }

  const ServerOptions options;
  const Dispatcher dispatcher;
  SessionRegistry registry;
  BodyBudget body_budget;
  // Connections served (within max_connections) and being refused.
  std::atomic<std::size_t> served = 0;
  std::atomic<std::size_t> refusing = 0;
  std::vector<std::unique_ptr<Loop>> loops;
  std::vector<asio::executor_work_guard<LoopExecutor>> guards;
  // Plain HTTP first, then HTTPS when configured.
  std::vector<std::unique_ptr<Listener>> listeners;
  std::optional<asio::basic_signal_set<LoopExecutor>> signals;
  std::size_t next_loop = 0;
};

Server::Server(const ServerOptions& options, Handler handler)
    : impl_(std::make_unique<Impl>(options, std::move(handler))) {}

Server::~Server() = default;

void Server::run() {
  for (auto& listener : impl_->listeners) impl_->accept(*listener);
  std::vector<std::thread> workers;
  for (std::size_t i = 1; i < impl_->loops.size(); ++i) {
    workers.emplace_back([this, i] { impl_->work(*impl_->loops[i]); });
  }
  impl_->work(*impl_->loops[0]);
  for (auto& worker : workers) worker.join();
}

void Server::stop() {
  // At once, not on loop 0, which may be busy with a request: answers
  // written from now on close their connections.
  impl_->registry.shut_down_all();
  asio::post(impl_->loops[0]->context.get_executor(),
             [impl = impl_.get()] { impl->stop_listening(); });
}

void Server::stop_on_signals() {
  impl_->signals.emplace(impl_->loops[0]->context.get_executor(), SIGINT, SIGTERM);
  impl_->signals->async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;  // cancelled by stop()
    log::info("signal " + std::to_string(signal) + ": stopping");
    stop();
  });
}

std::size_t Server::connections() const { return impl_->registry.size(); }

std::uint16_t Server::port() const { return impl_->listeners.front()->port; }

std::uint16_t Server::tls_port() const {
  return impl_->listeners.size() > 1 ? impl_->listeners.back()->port : 0;
}

}  // namespace jormun::http
