// The headers the transport puts on answers: Server, compression with its
// Vary and CRC32, and CORS (the origin policy and the preflight's headers).
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>
#include <string>
#include <vector>

#include "http/content_coding.h"
#include "http/cors.h"
#include "http/crc32.h"
#include "http/wire_response.h"

namespace jormun::http {
namespace {

namespace beast_http = boost::beast::http;

const std::vector<std::string> kLoopback = {"http://localhost:*", "http://127.0.0.1:*",
                                            "http://[::1]:*"};

// The value of header `name` in a wire head, or "-" when absent.
std::string header_of(const WireResponse& wire, const std::string& name) {
  const auto at = wire.head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "-";
  const auto start = at + name.size() + 4;
  return wire.head.substr(start, wire.head.find("\r\n", start) - start);
}

WireOptions accepting(Coding coding, std::size_t min_bytes = 4096) {
  WireOptions options;
  options.accepted = coding;
  options.compress_min_bytes = min_bytes;
  return options;
}

WireResponse answer(std::string body, WireOptions options) {
  Response r;
  r.body = std::move(body);
  return to_wire(std::move(r), options);
}

TEST(AnswerHeaders, EveryAnswerNamesTheServerAsDynamoDbDoes) {
  EXPECT_EQ(header_of(answer("{}", {}), "Server"), "Server");
  EXPECT_EQ(header_of(answer("{}", {}), "Vary"), "-");
}

TEST(AnswerHeaders, LargeAnswersAreCompressedInTheAcceptedCoding) {
  const std::string big(5000, 'z');
  for (const Coding c : {Coding::kGzip, Coding::kDeflate}) {
    const WireResponse wire = answer(big, accepting(c));
    EXPECT_EQ(header_of(wire, "Content-Encoding"), coding_name(c));
    EXPECT_EQ(header_of(wire, "Vary"), "Accept-Encoding");
    // The CRC32 covers the bytes on the wire, as DynamoDB's does.
    EXPECT_EQ(header_of(wire, "x-amz-crc32"), std::to_string(crc32_of(wire.body)));
    EXPECT_EQ(header_of(wire, "Content-Length"), std::to_string(wire.body.size()));
    std::string out;
    ASSERT_EQ(decode_body(c, wire.body, big.size(), out), DecodeStatus::kOk);
    EXPECT_EQ(out, big);
  }
  // Below the threshold, or not accepted: as is. Only the first varies.
  const WireResponse small = answer("{}", accepting(Coding::kGzip));
  EXPECT_EQ(header_of(small, "Content-Encoding"), "-");
  EXPECT_EQ(header_of(small, "Vary"), "-");
  const WireResponse plain = answer(big, {});
  EXPECT_EQ(header_of(plain, "Content-Encoding"), "-");
  EXPECT_EQ(header_of(plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(plain.body, big);
  const WireResponse at_threshold =
      answer(std::string(100, 'a'), accepting(Coding::kGzip, 100));
  EXPECT_EQ(header_of(at_threshold, "Content-Encoding"), "gzip");
}

TEST(Cors, PolicyMatchesOriginsPortsAndCase) {
  const CorsPolicy loopback(kLoopback);
  EXPECT_EQ(loopback.allow_origin("http://localhost:3000"), "http://localhost:3000");
  EXPECT_EQ(loopback.allow_origin("http://LOCALHOST"), "http://LOCALHOST");
  EXPECT_EQ(loopback.allow_origin("http://[::1]:8080"), "http://[::1]:8080");
  EXPECT_TRUE(loopback.varies_by_origin());
  for (const char* refused :
       {"", "https://localhost:3000", "http://localhost.evil.com",
        "http://localhost:", "http://localhost:3000/", "http://localhost:30a",
        "http://127.0.0.10", "null", "http://evil.com"})
    EXPECT_EQ(loopback.allow_origin(refused), "") << refused;

  const CorsPolicy exact({"https://app.example.com", "http://dev:8080", "null"});
  EXPECT_EQ(exact.allow_origin("https://app.example.com"), "https://app.example.com");
  EXPECT_EQ(exact.allow_origin("https://app.example.com:443"), "");
  EXPECT_EQ(exact.allow_origin("http://dev:8080"), "http://dev:8080");
  EXPECT_EQ(exact.allow_origin("http://dev:8081"), "");
  EXPECT_EQ(exact.allow_origin("null"), "null");

  const CorsPolicy any({"*"});
  EXPECT_EQ(any.allow_origin("https://anything.example"), "*");
  EXPECT_EQ(any.allow_origin(""), "");
  EXPECT_FALSE(any.varies_by_origin());

  const CorsPolicy none({});
  EXPECT_EQ(none.allow_origin("http://localhost"), "");
}

TEST(Cors, AnswersExposeTheSdkHeaders) {
  EXPECT_EQ(cors_answer_headers(""), "");
  EXPECT_EQ(cors_answer_headers("http://localhost:3000"),
            "Access-Control-Allow-Origin: http://localhost:3000\r\n"
            "Access-Control-Expose-Headers: x-amzn-RequestId, x-amzn-ErrorType, "
            "x-amz-crc32, x-amz-id-2, Date\r\n");
  WireOptions options;
  options.cors_headers = cors_answer_headers("http://localhost:3000");
  options.vary_origin = true;
  const WireResponse wire = answer(std::string(5000, 'v'), options);
  EXPECT_EQ(header_of(wire, "Access-Control-Allow-Origin"), "http://localhost:3000");
  EXPECT_EQ(header_of(wire, "Vary"), "Origin, Accept-Encoding");
  EXPECT_TRUE(wire.head.ends_with("\r\n\r\n"));
}

TEST(Cors, PreflightEchoesWhatItAsksFor) {
  beast_http::fields request;
  EXPECT_FALSE(is_preflight(request));
  request.set(beast_http::field::origin, "http://localhost:3000");
  EXPECT_FALSE(is_preflight(request));
  request.set(beast_http::field::access_control_request_method, "POST");
  request.set(beast_http::field::access_control_request_headers,
              "content-type, authorization, x-amz-date, x-amz-target");
  EXPECT_TRUE(is_preflight(request));
  EXPECT_EQ(cors_preflight_headers("", request), "");
  EXPECT_EQ(cors_preflight_headers("http://localhost:3000", request),
            cors_answer_headers("http://localhost:3000") +
                "Access-Control-Allow-Methods: POST\r\n"
                "Access-Control-Allow-Headers: content-type, authorization, x-amz-date, "
                "x-amz-target\r\n"
                "Access-Control-Max-Age: 86400\r\n");
}

}  // namespace
}  // namespace jormun::http
