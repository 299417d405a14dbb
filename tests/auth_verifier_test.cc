#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/request_date.h"
#include "auth/signer.h"
#include "auth/verifier.h"
#include "common/api_error.h"

namespace jormun::auth {
namespace {

using namespace std::chrono_literals;

const Clock::time_point kNow = *parse_amz_date("20260101T120000Z");

// A request to DynamoDB signed by `id` with `secret` at `when`.
struct Signed {
  std::string amz_date;
  std::string authorization;
  std::vector<HttpHeader> headers;
  std::string hash = payload_hash("{}");

  Signed(std::string id, std::string secret, Clock::time_point when,
         std::string region = "us-east-1") {
    amz_date = format_amz_date(when);
    const std::string day = amz_date.substr(0, 8);
    headers = {{"Host", "127.0.0.1:8002"},
               {"X-Amz-Date", amz_date},
               {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
    const std::string scope = day + "/" + region + "/dynamodb/aws4_request";
    const std::string signed_headers = "host;x-amz-date;x-amz-target";
    const std::string canonical =
        canonical_request("POST", "/", headers, signed_headers, hash);
    const std::string sig = signature(secret, {day, region, "dynamodb", "aws4_request"},
                                      string_to_sign(amz_date, scope, canonical));
    authorization = "AWS4-HMAC-SHA256 Credential=" + id + "/" + scope +
                    ", SignedHeaders=" + signed_headers + ", Signature=" + sig;
  }
  // The headers view amz_date: a Signed is used where it was made.
  SignedRequest request() const { return {"POST", "/", headers, authorization, hash}; }
};

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() {
    auth_.mode = config::AuthMode::kSigV4;
    auth_.keys = {{"reader", "reader-secret"}, {"writer", "writer-secret"}};
  }

  // "<type>: <message>" of what verify() throws, or the key id it accepts.
  std::string outcome(const Signed& s, Clock::time_point now = kNow) {
    try {
      return verifier_.verify(s.request(), now).id;
    } catch (const ApiError& e) {
      return e.type() + ": " + e.message();
    }
  }

  config::AuthConfig auth_;
  Verifier verifier_{auth_, "us-east-1"};
};

TEST_F(VerifierTest, RightSecretIsAcceptedAndNamesItsKey) {
  EXPECT_EQ(outcome(Signed("writer", "writer-secret", kNow)), "writer");
  EXPECT_EQ(outcome(Signed("reader", "reader-secret", kNow - 14min)), "reader");
  EXPECT_EQ(outcome(Signed("reader", "reader-secret", kNow + 14min)), "reader");
}

// The client side (jormun-admin's) signs what the verifier accepts.
TEST_F(VerifierTest, SignRequestMakesWhatTheVerifierAccepts) {
  std::vector<HttpHeader> headers = {{"Host", "127.0.0.1:8002"},
                                     {"Content-Type", "application/x-amz-json-1.0"},
                                     {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  auto added = sign_request("POST", "/", headers, "{}", {"reader", "reader-secret", "tok"},
                            "us-east-1", "dynamodb", kNow);
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(added[0].first, "X-Amz-Date");
  EXPECT_EQ(added[1], (std::pair<std::string, std::string>{"X-Amz-Security-Token", "tok"}));
  EXPECT_EQ(added[2].first, "Authorization");
  for (const auto& [name, value] : added) headers.push_back({name, value});
  const std::string hash = payload_hash("{}");
  EXPECT_EQ(verifier_.verify({"POST", "/", headers, added[2].second, hash}, kNow).id, "reader");
  // A body other than the one signed fails.
  const std::string other = payload_hash("{ }");
  EXPECT_THROW(verifier_.verify({"POST", "/", headers, added[2].second, other}, kNow),
               ApiError);
}

TEST_F(VerifierTest, WrongSecretIsInvalidSignatureWithTheCanonicalStrings) {
  Signed s("writer", "not-the-secret", kNow);
  const std::string got = outcome(s);
  EXPECT_EQ(
      got.rfind("InvalidSignatureException: The request signature we calculated does not "
                "match the signature you provided. Check your AWS Secret Access Key and "
                "signing method. Consult the service documentation for details.\n\nThe "
                "Canonical String for this request should have been\n'POST\n/\n\nhost:",
                0),
      0u)
      << got;
  EXPECT_NE(got.find("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"
                     "20260101T120000Z\n20260101/us-east-1/dynamodb/aws4_request\n"),
            std::string::npos)
      << got;
}

TEST_F(VerifierTest, ChangedBodyOrSignedHeaderIsInvalidSignature) {
  Signed s("writer", "writer-secret", kNow);
  s.hash = payload_hash("{\"Limit\":1}");
  EXPECT_EQ(outcome(s).rfind("InvalidSignatureException: The request signature", 0), 0u);
  Signed t("writer", "writer-secret", kNow);
  t.headers[2].value = "DynamoDB_20120810.DeleteTable";
  EXPECT_EQ(outcome(t).rfind("InvalidSignatureException: The request signature", 0), 0u);
}

TEST_F(VerifierTest, UnknownKeyIsUnrecognizedClient) {
  EXPECT_EQ(outcome(Signed("stranger", "whatever", kNow)),
            "UnrecognizedClientException: The security token included in the request is "
            "invalid.");
}

TEST_F(VerifierTest, OldSignatureHasExpired) {
  EXPECT_EQ(
      outcome(Signed("writer", "writer-secret", kNow - 20min)),
      "InvalidSignatureException: Signature expired: 20260101T114000Z is now earlier "
      "than 20260101T114500Z (20260101T120000Z - 15 min.)");
}

TEST_F(VerifierTest, FutureSignatureIsNotYetCurrent) {
  EXPECT_EQ(outcome(Signed("writer", "writer-secret", kNow + 16min)),
            "InvalidSignatureException: Signature not yet current: 20260101T121600Z is "
            "still later than 20260101T121500Z (20260101T120000Z + 15 min.)");
}

TEST_F(VerifierTest, ExpiryIsCheckedBeforeTheKey) {
  EXPECT_EQ(outcome(Signed("stranger", "x", kNow - 20min))
                .rfind("InvalidSignatureException: Signature expired", 0),
            0u);
}

TEST_F(VerifierTest, CredentialScopedToAnotherRegionIsRefused) {
  EXPECT_EQ(
      outcome(Signed("writer", "writer-secret", kNow, "eu-west-1")),
      "InvalidSignatureException: Credential should be scoped to a valid region, not "
      "'eu-west-1'. ");
}

TEST_F(VerifierTest, CredentialWithTooFewPartsIsIncomplete) {
  Signed s("writer", "writer-secret", kNow);
  s.authorization =
      "AWS4-HMAC-SHA256 Credential=writer/20260101/us-east-1/aws4_request, "
      "SignedHeaders=host, Signature=00";
  EXPECT_EQ(
      outcome(s),
      "IncompleteSignatureException: Credential must have exactly 5 slash-delimited "
      "elements, e.g. keyid/date/region/service/term, got "
      "'writer/20260101/us-east-1/aws4_request'");
}

TEST_F(VerifierTest, ScopeDateMustBeTheRequestDate) {
  Signed s("writer", "writer-secret", kNow);
  s.authorization.replace(s.authorization.find("/20260101/"), 10, "/20251231/");
  EXPECT_EQ(outcome(s),
            "InvalidSignatureException: Date in Credential scope does not match YYYYMMDD "
            "from ISO-8601 version of date from HTTP: '20251231' != '20260101', from "
            "'X-Amz-Date'.");
}

TEST_F(VerifierTest, MalformedDateIsIncomplete) {
  Signed s("writer", "writer-secret", kNow);
  s.headers[1].value = "2026-01-01T12:00:00Z";
  EXPECT_EQ(outcome(s),
            "IncompleteSignatureException: Date must be in ISO-8601 'basic format'. Got "
            "'2026-01-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601");
}

TEST_F(VerifierTest, ChunkedPayloadSigningIsRefused) {
  Signed s("writer", "writer-secret", kNow);
  s.headers.push_back({"X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"});
  EXPECT_EQ(outcome(s).rfind("InvalidSignatureException: Chunked payload signing", 0),
            0u);
}

TEST(RequestDate, ParsesAndFormatsBothForms) {
  EXPECT_EQ(format_amz_date(*parse_amz_date("20150830T123600Z")), "20150830T123600Z");
  EXPECT_EQ(format_amz_date(*parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT")),
            "20150830T123600Z");
  EXPECT_FALSE(parse_amz_date("20150830T1236Z"));
  EXPECT_FALSE(parse_amz_date("20150830T123600"));
  EXPECT_FALSE(parse_http_date("yesterday"));
}

}  // namespace
}  // namespace jormun::auth
