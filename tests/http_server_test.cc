// The transport end to end: a real Server on 127.0.0.1 with an ephemeral
// port, talked to by Beast's synchronous client.
#include <gtest/gtest.h>
#include <poll.h>
#include <zlib.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/content_coding.h"
#include "http/server.h"

namespace jormun::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;
using ClientRequest = beast_http::request<beast_http::string_body>;
using ClientResponse = beast_http::response<beast_http::string_body>;

constexpr char kInternalError[] =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",)"
    R"("message":"Internal server error"})";
constexpr char kThrottled[] =
    R"({"__type":"com.amazon.coral.availability#ThrottlingException",)"
    R"("message":"Rate of requests exceeds the allowed throughput."})";

// One keep-alive connection.
class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(io_) {
    stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    host_ = "127.0.0.1:" + std::to_string(port);
  }

  ClientRequest request(beast_http::verb verb, std::string body) const {
    ClientRequest req{verb, "/", 11};
    req.set(beast_http::field::host, host_);
    req.set("X-Amz-Target", "DynamoDB_20120810.GetItem");
    req.set(beast_http::field::content_type, "application/x-amz-json-1.0");
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }

  ClientResponse send(ClientRequest req) {
    beast_http::write(stream_, req);
    return receive();
  }

  ClientResponse post(std::string body) {
    return send(request(beast_http::verb::post, std::move(body)));
  }

  ClientResponse receive() {
    ClientResponse res;
    beast_http::response_parser<beast_http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast_http::read(stream_, buffer_, parser);
    return parser.release();
  }

  // True once the server has closed its side.
  bool closed_by_server() {
    beast::error_code ec;
    char byte;
    stream_.socket().read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  // True when the server closes its side within `limit`; false when the
  // connection is still open then.
  bool closed_within(std::chrono::milliseconds limit) {
    pollfd fd{stream_.socket().native_handle(), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(limit.count())) <= 0) return false;
    return closed_by_server();
  }

  void write_raw(std::string_view bytes) {
    asio::write(stream_.socket(), asio::buffer(bytes));
  }

  const std::string& host() const { return host_; }
  beast::tcp_stream& stream() { return stream_; }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string host_;
};

std::uint32_t crc_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bytes.data()),
                                          static_cast<uInt>(bytes.size())));
}

// Echoes the body; a body of "throw" makes it throw, "big" answers 10 KB.
void echo_handler(const Request& request, Response& response) {
  if (request.body() == "throw") throw std::runtime_error("handler exploded on purpose");
  if (request.body() == "big") {
    response.body.assign(10000, 'b');
    return;
  }
  response.body = request.body();
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(Handler handler = echo_handler, ServerOptions options = test_options()) {
    server_ = std::make_unique<Server>(options, std::move(handler));
    runner_ = std::thread([this] { server_->run(); });
  }

  static ServerOptions test_options() {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 4;
    options.max_body_bytes = 64 * 1024;
    options.body_timeout = std::chrono::seconds(5);
    return options;
  }

  // Stops the server and returns how long run() took to return.
  std::chrono::milliseconds stop() {
    const auto begin = std::chrono::steady_clock::now();
    server_->stop();
    runner_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - begin);
  }

  void TearDown() override {
    if (runner_.joinable()) stop();
  }

  std::uint16_t port() const { return server_->port(); }

  std::unique_ptr<Server> server_;
  std::thread runner_;
};

TEST_F(HttpServerTest, KeepAliveAnswersSeveralRequestsWithDynamoDbHeaders) {
  start();
  Client client(port());
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const std::string body = R"({"n":)" + std::to_string(i) + "}";
    const ClientResponse res = client.post(body);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), body);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(res[beast_http::field::content_type], "application/x-amz-json-1.0");
    EXPECT_EQ(res[beast_http::field::content_length], std::to_string(body.size()));
    EXPECT_FALSE(res[beast_http::field::date].empty());
    EXPECT_EQ(res["x-amz-crc32"], std::to_string(crc_of(body)));
    const std::string id(res["x-amzn-RequestId"]);
    EXPECT_EQ(id.size(), 52u);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 5u);
}

TEST_F(HttpServerTest, HandlerSeesHeadersAndTarget) {
  std::string seen;
  start([&seen](const Request& request, Response& response) {
    seen = std::string(request.method()) + " " + std::string(request.target()) + " " +
           std::string(request.header("x-amz-target")) + " [" +
           std::string(request.header("Authorization")) + "]";
    response.body = "{}";
  });
  Client client(port());
  EXPECT_EQ(client.post("{}").result_int(), 200);
  EXPECT_EQ(seen, "POST / DynamoDB_20120810.GetItem []");
}

TEST_F(HttpServerTest, GzipRequestBodyIsInflatedBeforeTheHandler) {
  start();
  Client client(port());
  const std::string body =
      R"({"TableName":"t","Pad":")" + std::string(5000, 'p') + R"("})";
  ClientRequest req =
      client.request(beast_http::verb::post, encode_body(Coding::kGzip, body));
  req.set(beast_http::field::content_encoding, "gzip");
  req.prepare_payload();
  const ClientResponse res = client.send(std::move(req));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), body);
}

TEST_F(HttpServerTest, DeflateRequestBodyIsInflatedBeforeTheHandler) {
  start();
  Client client(port());
  const std::string body = R"({"TableName":"t"})";
  ClientRequest req =
      client.request(beast_http::verb::post, encode_body(Coding::kDeflate, body));
  req.set(beast_http::field::content_encoding, "Deflate");
  req.prepare_payload();
  const ClientResponse res = client.send(std::move(req));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), body);
  EXPECT_EQ(res[beast_http::field::server], "Server");
}

TEST_F(HttpServerTest, PreflightIsAnsweredWithoutTheHandler) {
  std::atomic<int> calls = 0;
  ServerOptions options = test_options();
  options.cors_origins = {"http://localhost:*"};
  start(
      [&calls](const Request& request, Response& response) {
        ++calls;
        response.body = request.body();
      },
      options);
  Client client(port());
  ClientRequest preflight = client.request(beast_http::verb::options, "");
  preflight.set(beast_http::field::origin, "http://localhost:5173");
  preflight.set(beast_http::field::access_control_request_method, "POST");
  preflight.set(beast_http::field::access_control_request_headers, "x-amz-target");
  ClientResponse res = client.send(preflight);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "http://localhost:5173");
  EXPECT_EQ(res["Access-Control-Allow-Methods"], "POST");
  EXPECT_EQ(res["Access-Control-Allow-Headers"], "x-amz-target");
  EXPECT_EQ(res["Access-Control-Max-Age"], "86400");
  EXPECT_TRUE(res.keep_alive());

  preflight.set(beast_http::field::origin, "http://evil.example");
  res = client.send(preflight);
  EXPECT_EQ(res.result_int(), 403);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "");

  ClientRequest post = client.request(beast_http::verb::post, "{}");
  post.set(beast_http::field::origin, "http://localhost:5173");
  res = client.send(post);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "http://localhost:5173");
  EXPECT_EQ(res[beast_http::field::vary], "Origin");
  EXPECT_EQ(calls, 1);
}

TEST_F(HttpServerTest, CorruptGzipAndUnknownEncodingAre500AsInDynamoDb) {
  std::atomic<int> calls = 0;
  start([&calls](const Request&, Response&) { ++calls; });
  Client client(port());
  ClientRequest corrupt = client.request(beast_http::verb::post, "{}");
  corrupt.set(beast_http::field::content_encoding, "gzip");
  ClientResponse res = client.send(std::move(corrupt));
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.body(), kInternalError);
  ClientRequest unknown = client.request(beast_http::verb::post, "{}");
  unknown.set(beast_http::field::content_encoding, "br");
  res = client.send(std::move(unknown));
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.body(), kInternalError);
  // Neither reached the handler, and the connection serves on.
  EXPECT_TRUE(res.keep_alive());
  EXPECT_EQ(calls, 0);
}

TEST_F(HttpServerTest, OversizedBodiesGet413AndTheServerKeepsServing) {
  start();
  {
    // Far more than socket buffers hold: the client can only read the answer
    // if the server drains the body instead of resetting the connection.
    Client client(port());
    const ClientResponse res = client.post(std::string(8 * 1024 * 1024, 'x'));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_NE(res.body().find("RequestEntityTooLarge"), std::string::npos);
    EXPECT_EQ(res["x-amz-crc32"], std::to_string(crc_of(res.body())));
    EXPECT_TRUE(client.closed_by_server());
  }
  {
    // Small on the wire, over the limit once inflated.
    Client client(port());
    ClientRequest req = client.request(
        beast_http::verb::post, encode_body(Coding::kGzip, std::string(1 << 20, ' ')));
    req.set(beast_http::field::content_encoding, "gzip");
    req.prepare_payload();
    EXPECT_EQ(client.send(std::move(req)).result_int(), 413);
  }
  {
    // A chunked body is only found too large while it streams in.
    Client client(port());
    ClientRequest req =
        client.request(beast_http::verb::post, std::string(200 * 1024, 'c'));
    req.chunked(true);
    EXPECT_EQ(client.send(std::move(req)).result_int(), 413);
  }
  Client client(port());
  EXPECT_EQ(client.post("{}").body(), "{}");
}

TEST_F(HttpServerTest, HandlerExceptionIsInternalServerErrorAndConnectionSurvives) {
  start();
  Client client(port());
  const ClientResponse res = client.post("throw");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.body(), kInternalError);
  EXPECT_EQ(res[beast_http::field::content_type], "application/x-amz-json-1.0");
  EXPECT_EQ(client.post("{}").result_int(), 200);
}

TEST_F(HttpServerTest, GetRootIsAHealthCheckThatSkipsTheHandler) {
  std::atomic<int> calls = 0;
  start([&calls](const Request&, Response& response) {
    ++calls;
    response.body = "{}";
  });
  Client client(port());
  const ClientResponse res = client.send(client.request(beast_http::verb::get, ""));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "healthy: " + client.host());
  EXPECT_EQ(res["x-amzn-RequestId"].size(), 52u);
  EXPECT_EQ(calls, 0);
}

TEST_F(HttpServerTest, OtherMethodsAreRejectedWithoutTheHandler) {
  std::atomic<int> calls = 0;
  start([&calls](const Request&, Response&) { ++calls; });
  Client client(port());
  for (auto verb : {beast_http::verb::put, beast_http::verb::delete_}) {
    const ClientResponse res = client.send(client.request(verb, "{}"));
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_NE(res.body().find("not supported"), std::string::npos);
  }
  EXPECT_EQ(calls, 0);
}

TEST_F(HttpServerTest, LargeAnswersAreGzippedOnlyWhenAcceptedAndCrcCoversTheWire) {
  start();
  Client client(port());
  const ClientResponse plain = client.post("big");
  EXPECT_EQ(plain[beast_http::field::content_encoding], "");
  EXPECT_EQ(plain.body(), std::string(10000, 'b'));

  ClientRequest req = client.request(beast_http::verb::post, "big");
  req.set(beast_http::field::accept_encoding, "gzip, deflate");
  const ClientResponse packed = client.send(std::move(req));
  EXPECT_EQ(packed[beast_http::field::content_encoding], "gzip");
  EXPECT_LT(packed.body().size(), 10000u);
  EXPECT_EQ(packed["x-amz-crc32"], std::to_string(crc_of(packed.body())));
  std::string inflated;
  ASSERT_EQ(decode_body(Coding::kGzip, packed.body(), 20000, inflated),
            DecodeStatus::kOk);
  EXPECT_EQ(inflated, std::string(10000, 'b'));

  ClientRequest small = client.request(beast_http::verb::post, "{}");
  small.set(beast_http::field::accept_encoding, "gzip");
  EXPECT_EQ(client.send(std::move(small))[beast_http::field::content_encoding], "");
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimAnswer) {
  start();
  Client client(port());
  ClientRequest req = client.request(beast_http::verb::post, R"({"k":"v"})");
  req.set(beast_http::field::expect, "100-continue");
  EXPECT_EQ(client.send(std::move(req)).result_int(), 100);
  EXPECT_EQ(client.receive().body(), R"({"k":"v"})");
}

TEST_F(HttpServerTest, MalformedHttpIsAnsweredAndClosesOnlyThatConnection) {
  start();
  const std::string long_target(70 * 1024, 'a');
  const std::string long_header(70 * 1024, 'h');
  const struct {
    std::string request;
    int status;
  } cases[] = {
      {"THIS IS NOT HTTP\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12x\r\n\r\n{}", 400},
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       400},
      {"POST /" + long_target + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
      {"POST / HTTP/1.1\r\nHost: x\r\nX-Pad: " + long_header + "\r\n\r\n", 431},
      {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const auto& c : cases) {
    Client bad(port());
    bad.write_raw(c.request);
    const ClientResponse res = bad.receive();
    EXPECT_EQ(res.result_int(), c.status) << c.request.substr(0, 60);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(bad.closed_by_server());
  }
  Client good(port());
  EXPECT_EQ(good.post("{}").result_int(), 200);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitGetOneThrottlingAnswer) {
  ServerOptions options = test_options();
  options.max_connections = 2;
  start(echo_handler, options);
  auto first = std::make_unique<Client>(port());
  Client second(port());
  EXPECT_EQ(first->post("1").body(), "1");
  EXPECT_EQ(second.post("2").body(), "2");
  {
    Client third(port());
    const ClientResponse res = third.post("3");
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_EQ(res.body(), kThrottled);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(third.closed_by_server());
  }
  // Once a served connection is gone its place is free again; the server
  // notices the close asynchronously, so a few attempts may still be refused.
  first.reset();
  bool served = false;
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    Client next(port());
    served = next.post("4").body() == "4";
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(served);
  EXPECT_EQ(second.post("5").body(), "5");
}

TEST_F(HttpServerTest, BodiesBeyondTheInflightBudgetAreThrottled) {
  ServerOptions options = test_options();
  options.max_inflight_body_bytes = 100 * 1024;  // one 60 KB body, not two
  std::atomic<bool> holding = false;
  std::atomic<bool> release = false;
  start(
      [&](const Request& request, Response& response) {
        if (request.body().front() == 'h') {
          holding = true;
          while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        response.body = std::to_string(request.body().size());
      },
      options);
  // The first connection's loop also accepts; the held request must not
  // block it.
  Client first(port());
  EXPECT_EQ(first.post("w").body(), "1");
  Client holder(port());
  ClientRequest held = holder.request(beast_http::verb::post, std::string(60 * 1024, 'h'));
  beast_http::write(holder.stream(), held);
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  Client other(port());
  const ClientResponse throttled = other.post(std::string(60 * 1024, 'x'));
  EXPECT_EQ(throttled.result_int(), 400);
  EXPECT_EQ(throttled.body(), kThrottled);
  EXPECT_TRUE(other.closed_by_server());
  // Small bodies still fit beside the held one.
  Client small(port());
  EXPECT_EQ(small.post(std::string(1024, 's')).body(), "1024");

  release = true;
  EXPECT_EQ(holder.receive().body(), std::to_string(60 * 1024));
  // Its answer gave the budget back.
  Client after(port());
  EXPECT_EQ(after.post(std::string(60 * 1024, 'y')).body(), std::to_string(60 * 1024));
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions options = test_options();
  options.idle_timeout = std::chrono::milliseconds(300);
  start(echo_handler, options);
  Client client(port());
  EXPECT_EQ(client.post("first").body(), "first");
  // Well within the timeout the connection still serves...
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(client.post("second").body(), "second");
  // ...and each answer restarts the clock, so it stays open a while...
  EXPECT_FALSE(client.closed_within(std::chrono::milliseconds(150)));
  // ...but not much longer than the timeout.
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_within(std::chrono::seconds(5)));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
}

TEST_F(HttpServerTest, StopReturnsPromptlyDespiteAnIdleKeepAliveConnection) {
  start();
  Client client(port());
  EXPECT_EQ(client.post("{}").result_int(), 200);
  EXPECT_LT(stop().count(), 2000);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, StopLetsARequestInProgressFinish) {
  std::atomic<bool> entered = false;
  start([&entered](const Request& request, Response& response) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    response.body = request.body();
  });
  Client client(port());
  std::thread stopper([&] {
    while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    stop();
  });
  const ClientResponse res = client.post("slow");
  stopper.join();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "slow");
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(HttpServerTest, ManyConcurrentConnectionsAreAllAnswered) {
  start();
  constexpr int kThreads = 8;
  constexpr int kConnectionsPerThread = 20;
  constexpr int kRequestsPerConnection = 3;
  std::atomic<int> answered = 0;
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      for (int c = 0; c < kConnectionsPerThread; ++c) {
        Client client(port());
        for (int r = 0; r < kRequestsPerConnection; ++r) {
          const std::string body =
              std::to_string(t) + "/" + std::to_string(c) + "/" + std::to_string(r);
          if (client.post(body).body() == body) ++answered;
        }
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(answered, kThreads * kConnectionsPerThread * kRequestsPerConnection);
}

}  // namespace
}  // namespace jormun::http
