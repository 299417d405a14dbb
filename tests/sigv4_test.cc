// The AWS Signature Version 4 test suite's vectors (credentials AKIDEXAMPLE,
// region us-east-1, service "service", 2015-08-30T12:36:00Z).
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include <vector>

namespace jormun::auth {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kScope = "20150830/us-east-1/service/aws4_request";
constexpr Scope kScopeParts{"20150830", "us-east-1", "service", "aws4_request"};
const std::string kEmptyHash = payload_hash("");

struct Vector {
  std::string_view method;
  std::string_view target;
  std::vector<HttpHeader> headers;
  std::string_view signed_headers;
  std::string_view canonical;
  std::string_view signature;
};

std::string sign(const Vector& v, std::string* canonical_out = nullptr) {
  std::string canonical =
      canonical_request(v.method, v.target, v.headers, v.signed_headers, kEmptyHash);
  if (canonical_out) *canonical_out = canonical;
  return signature(kSecret, kScopeParts,
                   string_to_sign("20150830T123600Z", kScope, canonical));
}

TEST(SigV4, EmptyPayloadHash) {
  EXPECT_EQ(kEmptyHash,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4, PostVanilla) {
  Vector v{"POST",
           "/",
           {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
           "host;x-amz-date",
           "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
           "host;x-amz-date\n"
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"};
  std::string canonical;
  EXPECT_EQ(sign(v, &canonical), v.signature);
  EXPECT_EQ(canonical, v.canonical);
  EXPECT_EQ(
      string_to_sign("20150830T123600Z", kScope, canonical),
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
      "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
}

TEST(SigV4, GetVanilla) {
  Vector v{"GET",
           "/",
           {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
           "host;x-amz-date",
           "",
           "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"};
  EXPECT_EQ(sign(v), v.signature);
}

TEST(SigV4, QueryParametersAreSortedByName) {
  Vector v{"GET",
           "/?Param2=value2&Param1=value1",
           {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
           "host;x-amz-date",
           "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
           "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"};
  std::string canonical;
  EXPECT_EQ(sign(v, &canonical), v.signature);
  EXPECT_EQ(canonical, v.canonical);
}

TEST(SigV4, HeaderValuesAreTrimmedAndSpacesCollapsed) {
  Vector v{
      "GET",
      "/",
      {{"Host", "example.amazonaws.com"},
       {"My-Header1", " value1"},
       {"My-Header2", " \"a   b   c\""},
       {"X-Amz-Date", "20150830T123600Z"}},
      "host;my-header1;my-header2;x-amz-date",
      "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
      "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"};
  std::string canonical;
  EXPECT_EQ(sign(v, &canonical), v.signature);
  EXPECT_EQ(canonical, v.canonical);
}

TEST(SigV4, HeaderValueCaseIsKept) {
  Vector v{"POST",
           "/",
           {{"Host", "example.amazonaws.com"},
            {"My-Header1", "VALUE1"},
            {"X-Amz-Date", "20150830T123600Z"}},
           "host;my-header1;x-amz-date",
           "",
           "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"};
  EXPECT_EQ(sign(v), v.signature);
}

TEST(SigV4, UnreservedPathCharactersStayAsTheyAre) {
  Vector v{"GET",
           "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
           {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
           "host;x-amz-date",
           "",
           "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"};
  EXPECT_EQ(sign(v), v.signature);
}

TEST(SigV4, RepeatedHeaderValuesAreJoinedInOrder) {
  std::vector<HttpHeader> headers{{"Host", "h"}, {"X-A", "1"}, {"x-a", " 2 "}};
  EXPECT_EQ(canonical_request("POST", "/", headers, "host;x-a", "p"),
            "POST\n/\n\nhost:h\nx-a:1,2\n\nhost;x-a\np");
}

TEST(SigV4, OtherSecretGivesOtherSignature) {
  const std::string to_sign = string_to_sign("20150830T123600Z", kScope, "x");
  EXPECT_NE(signature(kSecret, kScopeParts, to_sign),
            signature("another", kScopeParts, to_sign));
}

}  // namespace
}  // namespace jormun::auth
