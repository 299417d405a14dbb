// One HTTP/1.1 connection: reads a request, has the Dispatcher answer it,
// writes the answer, and repeats while keep-alive holds. All its work runs on
// the one-threaded event loop its socket belongs to; pending I/O keeps it
// alive through shared_from_this. One request at a time: the next is read only after the
// previous answer is written, which bounds pipelining to one. The same
// session serves plain HTTP and HTTPS: it is a template over its stream, so
// the plain path pays nothing for TLS.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "http/dispatcher.h"
#include "http/request_parser.h"
#include "http/server_options.h"

namespace jormun::http {

class BodyBudget;
class SessionRegistry;

// A connection's executor: its event loop, run by exactly one thread, so the
// session needs no strand and no type-erased executor.
using LoopExecutor = boost::asio::io_context::executor_type;
using Socket = boost::asio::ip::tcp::socket::rebind_executor<LoopExecutor>::other;
using PlainStream = boost::beast::basic_stream<boost::asio::ip::tcp, LoopExecutor>;
using TlsStream = boost::beast::ssl_stream<PlainStream>;

// What the registry needs of a connection, whatever its stream.
class Connection {
 public:
  virtual ~Connection() = default;
  // Thread-safe. A connection waiting for a request closes now; one inside a
  // request finishes it, answers with "Connection: close" and closes.
  virtual void shut_down() = 0;
};

// Stream: PlainStream or TlsStream (a TLS session shakes hands first).
template <class Stream>
class Session final : public Connection,
                      public std::enable_shared_from_this<Session<Stream>>,
                      private Responder {
 public:
  // `dispatcher`, `options`, `registry` and `budget` must outlive the session.
  Session(Stream&& stream, const Dispatcher& dispatcher, const ServerOptions& options,
          SessionRegistry& registry, BodyBudget& budget);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts the read loop. REQUIRES: owned by a shared_ptr.
  void start();

  // Makes the connection answer its first request with ThrottlingException
  // and close (the server is at max_connections). Call before start().
  void refuse() { refused_ = true; }

  void shut_down() override;

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  // The TCP layer: timeouts, cancellation and shutdown act there.
  PlainStream& tcp() { return boost::beast::get_lowest_layer(stream_); }
  void handshake();
  void read_header();
  void on_header(boost::beast::error_code ec);
  bool reserve_body();
  void release_body();
  void read_body();
  void on_body(boost::beast::error_code ec);
  // Responder: where the Dispatcher sends this connection's answers.
  void respond(WireResponse&& answer) override;
  std::function<void(WireResponse&&)> respond_later() override;
  void write(WireResponse&& response, bool body_unread);
  void on_write(boost::beast::error_code ec, bool keep_alive, bool body_unread);
  void drain_then_close();
  void drain();
  void close();

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  // Outgoing messages live here until their asynchronous write completes.
  WireResponse response_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;

  const Dispatcher& dispatcher_;
  const ServerOptions& options_;
  SessionRegistry& registry_;
  BodyBudget& budget_;
  // What this request holds of the budget until its answer is ready.
  std::size_t reserved_ = 0;

  bool first_request_ = true;
  bool stopping_ = false;
  bool refused_ = false;
  // True while no request is in progress (waiting for one, or discarding a
  // rejected body): the states in which a stop may cut the connection without
  // losing work.
  bool idle_ = false;
};

extern template class Session<PlainStream>;
extern template class Session<TlsStream>;

}  // namespace jormun::http
