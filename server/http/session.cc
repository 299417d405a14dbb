#include "http/session.h"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <utility>

#include "http/body_budget.h"
#include "http/canned_responses.h"
#include "http/session_registry.h"

namespace jormun::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

constexpr std::size_t kDrainChunk = 64 * 1024;
// Beast reads at most the buffer's free capacity (at least 512 bytes) per
// call, so a connection keeps room for an ordinary request: one read, not
// one per 512 bytes. This is most of a connection's memory.
constexpr std::size_t kReadBufferBytes = 16 * 1024;

// The status to answer a header that failed to parse with, or 0 when the
// connection just closes (end of stream, timeout, stop: nobody to answer).
// Over the header limit, it is 431 once the request line was parsed (Beast
// parses it on its own), 414 when the request line alone is too long.
int framing_error_status(beast::error_code ec, bool request_line_parsed) {
  if (ec.category() != beast_http::make_error_code(beast_http::error::bad_method).category())
    return 0;
  switch (static_cast<beast_http::error>(ec.value())) {
    case beast_http::error::end_of_stream:
    case beast_http::error::partial_message:
    case beast_http::error::short_read:
      return 0;
    case beast_http::error::header_limit:
      return request_line_parsed ? 431 : 414;
    default:
      return 400;
  }
}

}  // namespace

template <class Stream>
Session<Stream>::Session(Stream&& stream, const Dispatcher& dispatcher,
                         const ServerOptions& options, SessionRegistry& registry,
                         BodyBudget& budget)
    : stream_(std::move(stream)),
      dispatcher_(dispatcher),
      options_(options),
      registry_(registry),
      budget_(budget) {
  buffer_.reserve(kReadBufferBytes);
}

template <class Stream>
Session<Stream>::~Session() {
  release_body();
  registry_.remove(this);
}

template <class Stream>
void Session<Stream>::start() {
  asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    if constexpr (kTls) {
      self->handshake();
    } else {
      self->read_header();
    }
  });
}

// Bounded like a first request's header, and cut by a stop the same way: a
// client that connects and never finishes the handshake must not hold its
// descriptor for long. A failed handshake (an untrusting client, plain HTTP
// or garbage on the TLS port) just closes the connection.
template <class Stream>
void Session<Stream>::handshake() {
  if constexpr (kTls) {
    idle_ = true;
    tcp().expires_after(options_.header_timeout);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code ec) {
                              if (ec) return self->close();
                              self->read_header();
                            });
  }
}

template <class Stream>
void Session<Stream>::shut_down() {
  asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
    self->stopping_ = true;
    if (self->idle_) self->tcp().cancel();
  });
}

template <class Stream>
void Session<Stream>::read_header() {
  if (stopping_) return close();
  reset_request_parser(parser_, options_.max_body_bytes);
  idle_ = true;
  tcp().expires_after(first_request_ ? options_.header_timeout : options_.idle_timeout);
  first_request_ = false;
  beast_http::async_read_header(
      stream_, buffer_, *parser_,
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_header(ec);
      });
}

template <class Stream>
void Session<Stream>::on_header(beast::error_code ec) {
  idle_ = false;
  // A declared Content-Length over the limit fails here, before any body
  // byte is read.
  if (ec == beast_http::error::body_limit) {
    return write(dispatcher_.answer_too_large(parser_->get()), true);
  }
  // Malformed or oversized framing is answered, then the connection closes:
  // what follows it cannot be trusted to be where a next request starts.
  if (const int status =
          framing_error_status(ec, !parser_->get().method_string().empty())) {
    return write(dispatcher_.answer_unread(bad_framing_response(status), parser_->get()),
                 true);
  }
  // End of stream, timeout or cancellation by stop: nobody to answer.
  if (ec) return close();
  if (refused_ || !reserve_body()) {
    return write(dispatcher_.answer_unread(throttled_response(), parser_->get()), true);
  }
  const auto& request = parser_->get();
  if (beast::iequals(request[beast_http::field::expect], "100-continue")) {
    continue_ = {beast_http::status::continue_, request.version()};
    tcp().expires_after(options_.body_timeout);
    return beast_http::async_write(
        stream_, continue_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return self->close();
          self->read_body();
        });
  }
  read_body();
}

// Holds the body this request declares (chunked: the most it may grow to)
// against the server's budget; string_body allocates a declared length at once.
template <class Stream>
bool Session<Stream>::reserve_body() {
  std::size_t bytes = 0;
  if (parser_->chunked()) {
    bytes = options_.max_body_bytes;
  } else if (const auto length = parser_->content_length()) {
    bytes = static_cast<std::size_t>(*length);  // at most max_body_bytes by now
  }
  if (bytes == 0) return true;
  if (!budget_.try_reserve(bytes)) return false;
  reserved_ = bytes;
  return true;
}

template <class Stream>
void Session<Stream>::release_body() {
  budget_.release(reserved_);
  reserved_ = 0;
}

template <class Stream>
void Session<Stream>::read_body() {
  tcp().expires_after(options_.body_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](
                             beast::error_code ec, std::size_t) { self->on_body(ec); });
}

template <class Stream>
void Session<Stream>::on_body(beast::error_code ec) {
  // A chunked body found to be over the limit while streaming in.
  if (ec == beast_http::error::body_limit) {
    return write(dispatcher_.answer_too_large(parser_->get()), true);
  }
  // A broken chunk: the rest of the stream cannot be framed.
  if (framing_error_status(ec, true) != 0) {
    return write(dispatcher_.answer_unread(bad_framing_response(400), parser_->get()),
                 true);
  }
  if (ec) return close();
  dispatcher_.answer(parser_->release(), *this);
}

template <class Stream>
void Session<Stream>::respond(WireResponse&& answer) {
  write(std::move(answer), false);
}

// The answer comes from another thread and is carried over to this
// connection's loop. The tracked executor counts as work, so the loop does
// not finish (and the server stop) while an answer is still to come.
template <class Stream>
std::function<void(WireResponse&&)> Session<Stream>::respond_later() {
  // Members go in reverse order: the session is released while the loop
  // still counts the work. Released the other way round, the last answer's
  // thread could end the server's run, and the server be destroyed, before
  // that thread destroys the session, which leaves the server's registry.
  struct Later {
    decltype(asio::require(stream_.get_executor(),
                           asio::execution::outstanding_work.tracked)) loop;
    std::shared_ptr<Session> self;
    void operator()(WireResponse&& answer) const {
      asio::post(loop, [self = self, answer = std::move(answer)]() mutable {
        self->write(std::move(answer), false);
      });
    }
  };
  return Later{asio::require(stream_.get_executor(), asio::execution::outstanding_work.tracked),
               this->shared_from_this()};
}

template <class Stream>
void Session<Stream>::write(WireResponse&& response, bool body_unread) {
  // The request is done with its body once its answer exists.
  release_body();
  response_ = std::move(response);
  // A stop that came while the request ran: this answer is the last.
  if (stopping_ || registry_.closed()) close_after(response_);
  const bool keep_alive = response_.keep_alive;
  tcp().expires_after(options_.body_timeout);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(response_.head),
                                                  asio::buffer(response_.body)};
  asio::async_write(stream_, buffers,
                    [self = this->shared_from_this(), keep_alive, body_unread](
                        beast::error_code ec, std::size_t) {
                      self->on_write(ec, keep_alive, body_unread);
                    });
}

template <class Stream>
void Session<Stream>::on_write(beast::error_code ec, bool keep_alive, bool body_unread) {
  response_ = {};
  if (ec) return close();
  if (body_unread) return drain_then_close();
  if (!keep_alive) return close();
  read_header();
}

// After an early answer (413) the client may still be sending its body;
// closing at once would reset the connection and the client could lose the
// answer. So stop sending, swallow what arrives until one body_timeout has
// passed, then close.
template <class Stream>
void Session<Stream>::drain_then_close() {
  beast::error_code ignored;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  idle_ = true;
  tcp().expires_after(options_.body_timeout);
  drain();
}

template <class Stream>
void Session<Stream>::drain() {
  buffer_.clear();
  stream_.async_read_some(
      buffer_.prepare(kDrainChunk),
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        // EOF, timeout or stop: the socket closes with us.
        if (!ec) self->drain();
      });
}

template <class Stream>
void Session<Stream>::close() {
  beast::error_code ignored;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

template class Session<PlainStream>;
template class Session<TlsStream>;

}  // namespace jormun::http
