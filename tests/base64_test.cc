#include "model/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace jormun::model {
namespace {

std::string decode_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(base64_decode(text, &error)) << text;
  return error;
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    std::string error;
    EXPECT_EQ(base64_decode(encoded, &error), plain);
  }
  EXPECT_EQ(base64_encode(std::string("\xFB\xFF\x00", 3)), "+/8A");
}

TEST(Base64, RandomRoundTrip) {
  std::mt19937 rng(7);
  for (int n = 0; n < 200; ++n) {
    std::string bytes(n % 17, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    std::string error;
    EXPECT_EQ(base64_decode(base64_encode(bytes), &error), bytes);
  }
}

TEST(Base64, RejectsWhatDynamoDbRejects) {
  EXPECT_EQ(decode_error("abc"),
            "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
  EXPECT_EQ(decode_error("ab$d"), "Invalid Base64 character: '$'");
  EXPECT_EQ(decode_error("ab d"), "Invalid Base64 character: ' '");
  EXPECT_EQ(decode_error("Zg==Zg=="), "Invalid Base64 character: '='");
  EXPECT_EQ(decode_error("Zh=="), "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(decode_error("Zm9="), "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(decode_error("===="), "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(decode_error("Z==="), "Invalid last non-pad Base64 character dectected");
}

}  // namespace
}  // namespace jormun::model
