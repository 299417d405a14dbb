// jormun-http-ceiling: the HTTP ceiling of a machine. A minimal Beast server
// that answers every request with the same small JSON body, keep-alive, on N
// threads with one event loop each. Whatever a DynamoDB server adds on top of
// HTTP, this does not do, so its throughput under the same load generator
// bounds what any server built on this HTTP stack can reach on this machine.
//
//   jormun-http-ceiling [--host 127.0.0.1] [--port 0] [--threads N]
//
// Logs "listening on HOST:PORT" to stderr; stops on SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// An empty DynamoDB answer (what DeleteItem returns): the smallest valid one.
constexpr std::string_view kBody = "{}";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "application/x-amz-json-1.0");
    response_.body() = kBody;
    response_.prepare_payload();
  }

  void read() {
    request_ = {};
    http::async_read(socket_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->answer();
                     });
  }

 private:
  void answer() {
    response_.keep_alive(request_.keep_alive());
    http::async_write(socket_, response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return;
                        if (self->response_.keep_alive()) return self->read();
                        self->socket_.shutdown(tcp::socket::shutdown_send, ec);
                      });
  }

  tcp::socket socket_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

// Hands accepted connections round-robin to the threads' io_contexts: one
// event loop per thread, so no lock is taken per event.
void accept(tcp::acceptor& acceptor,
            std::vector<std::unique_ptr<asio::io_context>>& loops, size_t next) {
  acceptor.async_accept(
      *loops[next], [&acceptor, &loops, next](beast::error_code ec, tcp::socket socket) {
        if (ec) return;
        socket.set_option(tcp::no_delay(true));
        std::make_shared<Session>(std::move(socket))->read();
        accept(acceptor, loops, (next + 1) % loops.size());
      });
}

bool parse_unsigned(std::string_view text, unsigned& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned port = 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--host" && has_value) {
      host = argv[++i];
    } else if (arg == "--port" && has_value && parse_unsigned(argv[i + 1], port) &&
               port < 65536) {
      ++i;
    } else if (arg == "--threads" && has_value && parse_unsigned(argv[i + 1], threads) &&
               threads > 0) {
      ++i;
    } else {
      std::cerr
          << "usage: jormun-http-ceiling [--host ADDRESS] [--port N] [--threads N]\n";
      return 64;
    }
  }

  std::vector<std::unique_ptr<asio::io_context>> loops;
  for (unsigned t = 0; t < threads; ++t)
    loops.push_back(std::make_unique<asio::io_context>(1));
  auto& io = *loops[0];
  tcp::acceptor acceptor(
      io, tcp::endpoint(asio::ip::make_address(host), static_cast<uint16_t>(port)));
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&loops](beast::error_code, int) {
    for (auto& loop : loops) loop->stop();
  });
  accept(acceptor, loops, 0);
  std::cerr << "jormun-http-ceiling: listening on " << host << ':'
            << acceptor.local_endpoint().port() << " with " << threads << " threads"
            << std::endl;

  // The other loops have no work until a connection arrives: keep them running.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep;
  for (auto& loop : loops) keep.push_back(asio::make_work_guard(*loop));
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&loop = *loops[t]] { loop.run(); });
  io.run();
  for (auto& loop : loops) loop->stop();
  return 0;
}
