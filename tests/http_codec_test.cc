// The transport's pure helpers: content codings, request ids, Accept-Encoding
// negotiation, the body budget and the repeated-error log.
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/beast/http/fields.hpp>
#include <set>
#include <string>
#include <utility>

#include "http/accept_encoding.h"
#include "http/body_budget.h"
#include "http/content_coding.h"
#include "http/repeated_error.h"
#include "http/request_id.h"

namespace jormun::http {
namespace {

std::string gzip(std::string_view text) { return encode_body(Coding::kGzip, text); }

// zlib's raw deflate (no zlib header), as some clients send for "deflate".
std::string raw_deflate(std::string_view text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

DecodeStatus decode(Coding coding, std::string_view in, std::size_t max_out,
                    std::string& out) {
  return decode_body(coding, in, max_out, out);
}

TEST(ContentCoding, GzipAndDeflateRoundTrip) {
  const std::string text(100000, 'x');
  for (const Coding c : {Coding::kGzip, Coding::kDeflate}) {
    const std::string packed = encode_body(c, text);
    EXPECT_LT(packed.size(), 1000u);
    std::string out;
    ASSERT_EQ(decode(c, packed, text.size(), out), DecodeStatus::kOk);
    EXPECT_EQ(out, text);
  }
  // deflate is the zlib format (RFC 1950): CMF 0x78.
  EXPECT_EQ(encode_body(Coding::kDeflate, "{}")[0], '\x78');
  EXPECT_EQ(encode_body(Coding::kGzip, "{}").substr(0, 2), "\x1f\x8b");
}

TEST(ContentCoding, RawDeflateIsReadAsDeflate) {
  const std::string text = R"({"TableName":"t","Key":{"pk":{"S":"a"}}})";
  std::string out;
  ASSERT_EQ(decode(Coding::kDeflate, raw_deflate(text), 1000, out), DecodeStatus::kOk);
  EXPECT_EQ(out, text);
  // Not a gzip body, though.
  EXPECT_EQ(decode(Coding::kGzip, raw_deflate(text), 1000, out), DecodeStatus::kCorrupt);
}

TEST(ContentCoding, ConcatenatedGzipMembersFormOneBodyButDeflateStreamsDoNot) {
  std::string out;
  ASSERT_EQ(decode(Coding::kGzip, gzip("{\"Table") + gzip("Name\":\"t\"}"), 1000, out),
            DecodeStatus::kOk);
  EXPECT_EQ(out, "{\"TableName\":\"t\"}");
  // DynamoDB refuses two concatenated deflate streams.
  const std::string two = encode_body(Coding::kDeflate, "{\"Table") +
                          encode_body(Coding::kDeflate, "Name\":\"t\"}");
  EXPECT_EQ(decode(Coding::kDeflate, two, 1000, out), DecodeStatus::kCorrupt);
}

TEST(ContentCoding, CapStopsDecompressionBombs) {
  for (const Coding c : {Coding::kGzip, Coding::kDeflate}) {
    const std::string bomb = encode_body(c, std::string(1 << 20, ' '));
    std::string out;
    EXPECT_EQ(decode(c, bomb, 1000, out), DecodeStatus::kTooLarge);
    EXPECT_LE(out.size(), 1001u);
    EXPECT_EQ(decode(c, encode_body(c, "12345"), 5, out), DecodeStatus::kOk);
    EXPECT_EQ(decode(c, encode_body(c, "123456"), 5, out), DecodeStatus::kTooLarge);
  }
}

TEST(ContentCoding, RejectsCorruptInput) {
  for (const Coding c : {Coding::kGzip, Coding::kDeflate}) {
    std::string out;
    const std::string good = encode_body(c, "{\"a\":1}");
    EXPECT_EQ(decode(c, "", 100, out), DecodeStatus::kCorrupt);
    EXPECT_EQ(decode(c, "{\"a\":1}", 100, out), DecodeStatus::kCorrupt);
    EXPECT_EQ(decode(c, R"({"TableName": "t", "Item": {"p": {"S": "x"}}})", 100, out),
              DecodeStatus::kCorrupt);
    EXPECT_EQ(decode(c, good.substr(0, good.size() - 1), 100, out),
              DecodeStatus::kCorrupt);
    EXPECT_EQ(decode(c, good + "junk", 100, out), DecodeStatus::kCorrupt);
  }
}

TEST(ContentCoding, ContentEncodingNamesOneCoding) {
  EXPECT_EQ(parse_content_encoding(""), Coding::kIdentity);
  EXPECT_EQ(parse_content_encoding("  "), Coding::kIdentity);
  EXPECT_EQ(parse_content_encoding("Identity"), Coding::kIdentity);
  EXPECT_EQ(parse_content_encoding("gzip"), Coding::kGzip);
  EXPECT_EQ(parse_content_encoding(" GZIP "), Coding::kGzip);
  EXPECT_EQ(parse_content_encoding("deflate"), Coding::kDeflate);
  EXPECT_EQ(parse_content_encoding("br"), std::nullopt);
  EXPECT_EQ(parse_content_encoding("x-gzip"), std::nullopt);
  EXPECT_EQ(parse_content_encoding("gzip, deflate"), std::nullopt);
}

TEST(RequestId, HasDynamoDbShapeAndIsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_request_id().str();
    ASSERT_EQ(id.size(), 52u);
    EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUV"),
              std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// The cases DynamoDB was seen to answer (docs/architecture.md, Compression).
TEST(AcceptEncoding, ChoosesAsDynamoDbDoes) {
  const Coding none = Coding::kIdentity, gz = Coding::kGzip, fl = Coding::kDeflate;
  const std::pair<const char*, Coding> cases[] = {
      {"", none},
      {"identity", none},
      {"br", none},
      {"zstd", none},
      {"compress", none},
      {"x-gzip", none},
      {"gzip", gz},
      {"deflate", fl},
      {"gzip, deflate", gz},
      {"br, identity, deflate, gzip", fl},
      {"GZIP, identity", gz},
      {"dog, gzip ,, cat", gz},
      {"gzip;q=0.8, deflate;q=0.5", gz},
      {"br, gzip;q=0, deflate; q = 0.5 , identity;q=0", fl},
      {"*", gz},
      {"*, deflate;q=0.5", gz},
      {"*, deflate", fl},
      {"*, identity", gz},
      {"*, gzip;q=0.5", fl},
      {"gzip ;q=0", none},
      {"identity;q=0", none},
      {"*;q=0", none},
      {"*;q=0.5,identity", gz},
      {"gzip;q=0.5,identity;q=0.8", gz},
      {"br;q=0.8,identity;q=0.5,*;q=0", none},
      {"\"gzip\"", none},
      {"gzip br", none},
      {"gzip:q=1", none},
      {"deflate;q=0.5, gzip;q=31", gz},
      {"gzip;q=31,deflate;q=51", gz},
      {"deflate;q=0.5, gzip;q=0.2", fl},
      {"deflate;q=0.5, gzip;q=1;q=0.2", gz},
      {"deflate;q=0.5,gzip;q=0.", fl},
      {"deflate;q=0.5,gzip;q=0.x", gz},
      {"deflate;q=-0.5,gzip;q=0.2", gz},
      {"gzip;nq=1;q=0 ", none},
      {"gzip;q=0, gzip;q=1, gzip;q=0", gz},
      {"br,identity;q=0.5,gzip;q=0.0001", gz},
      {"gzip;q=0.000", none},
  };
  for (const auto& [header, expected] : cases)
    EXPECT_EQ(choose_coding(header), expected) << header;
}

TEST(AcceptEncoding, TheLastOfSeveralHeadersCounts) {
  boost::beast::http::fields headers;
  EXPECT_EQ(choose_coding(headers), Coding::kIdentity);
  headers.insert(boost::beast::http::field::accept_encoding, "identity");
  headers.insert(boost::beast::http::field::accept_encoding, "gzip");
  EXPECT_EQ(choose_coding(headers), Coding::kGzip);
  headers.insert(boost::beast::http::field::accept_encoding, "identity");
  EXPECT_EQ(choose_coding(headers), Coding::kIdentity);
}

TEST(BodyBudget, ReservesUpToItsCapacity) {
  BodyBudget budget(100);
  EXPECT_TRUE(budget.try_reserve(60));
  EXPECT_FALSE(budget.try_reserve(41));
  EXPECT_TRUE(budget.try_reserve(40));
  EXPECT_FALSE(budget.try_reserve(1));
  budget.release(60);
  EXPECT_EQ(budget.used(), 40u);
  EXPECT_TRUE(budget.try_reserve(60));
  EXPECT_FALSE(budget.try_reserve(static_cast<std::size_t>(-1)));
}

TEST(RepeatedError, OneLinePerIntervalWithTheCountHeldBack) {
  using std::chrono::seconds;
  RepeatedError errors(seconds(10));
  const RepeatedError::Clock::time_point t0{};
  EXPECT_EQ(errors.note("accept failed", t0 + seconds(100)), "accept failed");
  int lines = 0;
  for (int i = 1; i <= 1000; ++i) {
    if (errors.note("accept failed", t0 + seconds(100) + std::chrono::milliseconds(i)))
      ++lines;
  }
  EXPECT_EQ(lines, 0);
  EXPECT_EQ(errors.note("accept failed", t0 + seconds(111)),
            "accept failed (1000 more since the last report)");
  EXPECT_EQ(errors.note("accept failed", t0 + seconds(200)), "accept failed");
}

}  // namespace
}  // namespace jormun::http
