// The transport's pure helpers: gzip coding, request ids, Accept-Encoding,
// the body budget and the repeated-error log.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http/body_budget.h"
#include "http/gzip.h"
#include "http/repeated_error.h"
#include "http/request_id.h"
#include "http/wire_response.h"

namespace jormun::http {
namespace {

TEST(Gzip, RoundTrips) {
  const std::string text(100000, 'x');
  std::string out;
  ASSERT_EQ(gunzip(gzip(text), text.size(), out), GunzipStatus::kOk);
  EXPECT_EQ(out, text);
}

TEST(Gzip, ConcatenatedMembersFormOneBody) {
  std::string out;
  ASSERT_EQ(gunzip(gzip("{\"Table") + gzip("Name\":\"t\"}"), 1000, out),
            GunzipStatus::kOk);
  EXPECT_EQ(out, "{\"TableName\":\"t\"}");
}

TEST(Gzip, CapStopsDecompressionBombs) {
  const std::string bomb = gzip(std::string(1 << 20, ' '));
  std::string out;
  EXPECT_EQ(gunzip(bomb, 1000, out), GunzipStatus::kTooLarge);
  EXPECT_LE(out.size(), 1001u);
  EXPECT_EQ(gunzip(gzip("12345"), 5, out), GunzipStatus::kOk);
  EXPECT_EQ(gunzip(gzip("123456"), 5, out), GunzipStatus::kTooLarge);
}

TEST(Gzip, RejectsCorruptInput) {
  std::string out;
  const std::string good = gzip("{\"a\":1}");
  EXPECT_EQ(gunzip("", 100, out), GunzipStatus::kCorrupt);
  EXPECT_EQ(gunzip("{\"a\":1}", 100, out), GunzipStatus::kCorrupt);
  EXPECT_EQ(gunzip(good.substr(0, good.size() - 1), 100, out), GunzipStatus::kCorrupt);
  EXPECT_EQ(gunzip(good + "junk", 100, out), GunzipStatus::kCorrupt);
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

TEST(AcceptEncoding, HonoursCodingsAndQValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("identity, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
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
