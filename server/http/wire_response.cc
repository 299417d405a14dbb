#include "http/wire_response.h"

#include <zlib.h>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <ctime>
#include <string>

#include "http/gzip.h"

namespace jormun::http {
namespace {

namespace beast_http = boost::beast::http;

// RFC 7231 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  const std::size_t n =
      std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text, n);
}

std::string crc32_decimal(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes a uInt length; feed huge bodies in pieces.
  constexpr std::size_t kStep = 1u << 30;
  for (std::size_t at = 0; at < bytes.size(); at += kStep) {
    const std::size_t n = std::min(kStep, bytes.size() - at);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at),
                static_cast<uInt>(n));
  }
  return std::to_string(static_cast<std::uint32_t>(crc));
}

bool q_value_is_zero(const beast_http::param_list& params) {
  for (const auto& [name, value] : params) {
    if (boost::beast::iequals(name, "q")) {
      // "0", "0.", "0.0", "0.000" all mean "not acceptable".
      return value.find_first_not_of("0.") == boost::beast::string_view::npos;
    }
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  for (const auto& [coding, params] : beast_http::ext_list{accept_encoding}) {
    if (boost::beast::iequals(coding, "gzip") || coding == "*") {
      return !q_value_is_zero(params);
    }
  }
  return false;
}

WireResponse to_wire(Response&& response, const WireOptions& options) {
  WireResponse wire{static_cast<beast_http::status>(response.status),
                    options.http_version};
  wire.set(beast_http::field::content_type, response.content_type);
  wire.set(beast_http::field::date, http_date());
  wire.set("x-amzn-RequestId", options.request_id);
  if (response.body.size() >= options.gzip_min_bytes &&
      accepts_gzip(options.accept_encoding)) {
    wire.body() = gzip(response.body);
    wire.set(beast_http::field::content_encoding, "gzip");
  } else {
    wire.body() = std::move(response.body);
  }
  wire.set("x-amz-crc32", crc32_decimal(wire.body()));
  wire.keep_alive(options.keep_alive);
  wire.prepare_payload();
  return wire;
}

}  // namespace jormun::http
