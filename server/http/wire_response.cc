#include "http/wire_response.h"

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <string>

#include "http/crc32.h"

namespace jormun::http {
namespace {

namespace beast_http = boost::beast::http;

constexpr const char* kKeepAlive = "keep-alive";
constexpr const char* kClose = "close";

// RFC 7231 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". It changes
// once a second, so each thread formats it once a second.
std::string_view http_date() {
  thread_local std::time_t formatted_at = -1;
  thread_local char text[40];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != formatted_at) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    length = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    formatted_at = now;
  }
  return {text, length};
}

void append_header(std::string& head, std::string_view name, std::string_view value) {
  head.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

WireResponse to_wire(Response&& response, const WireOptions& options) {
  WireResponse wire;
  const bool varies = response.body.size() >= options.compress_min_bytes;
  const bool compressed = varies && options.accepted != Coding::kIdentity;
  wire.body = compressed ? encode_body(options.accepted, response.body)
                         : std::move(response.body);
  wire.keep_alive = options.keep_alive;
  wire.http_version = options.http_version;

  const auto status = static_cast<beast_http::status>(response.status);
  std::string& head = wire.head;
  head.reserve(256);
  head.append(options.http_version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  char number[24];
  auto end = std::to_chars(number, number + sizeof number, response.status).ptr;
  head.append(number, end).append(" ").append(beast_http::obsolete_reason(status));
  head.append("\r\n");
  append_header(head, "Content-Type", response.content_type);
  append_header(head, "Date", http_date());
  // DynamoDB's own value.
  append_header(head, "Server", "Server");
  append_header(head, "x-amzn-RequestId", options.request_id.view());
  if (compressed) append_header(head, "Content-Encoding", coding_name(options.accepted));
  if (varies || options.vary_origin) {
    append_header(head, "Vary",
                  varies && options.vary_origin ? "Origin, Accept-Encoding"
                  : varies                      ? "Accept-Encoding"
                                                : "Origin");
  }
  end = std::to_chars(number, number + sizeof number, crc32_of(wire.body)).ptr;
  append_header(head, "x-amz-crc32", {number, static_cast<std::size_t>(end - number)});
  end = std::to_chars(number, number + sizeof number, wire.body.size()).ptr;
  append_header(head, "Content-Length", {number, static_cast<std::size_t>(end - number)});
  head.append(options.cors_headers);
  head.append(response.extra_headers);
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes unless told.
  if (options.http_version == 10 && options.keep_alive)
    append_header(head, "Connection", kKeepAlive);
  else if (options.http_version != 10 && !options.keep_alive)
    append_header(head, "Connection", kClose);
  head.append("\r\n");
  return wire;
}

void close_after(WireResponse& wire) {
  if (!wire.keep_alive) return;
  wire.keep_alive = false;
  if (wire.http_version == 10) {
    const std::string line = std::string("Connection: ") + kKeepAlive + "\r\n";
    wire.head.erase(wire.head.find(line), line.size());
  } else {
    // Before the blank line that ends the head.
    wire.head.insert(wire.head.size() - 2, std::string("Connection: ") + kClose + "\r\n");
  }
}

}  // namespace jormun::http
