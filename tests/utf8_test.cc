#include "api/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace jormun::api {
namespace {

// The validator's ASCII fast path reads eight bytes at a time, so every case
// is also tried behind 0..8 ASCII bytes, which moves the interesting bytes
// across word boundaries and onto the tail loop.
void expect_validity(const std::string& bytes, bool valid) {
  for (size_t lead = 0; lead <= 8; ++lead) {
    const std::string text = std::string(lead, 'a') + bytes;
    EXPECT_EQ(is_valid_utf8(text), valid)
        << "lead " << lead << ", bytes " << bytes.size();
    EXPECT_EQ(is_valid_utf8(text + "tail-bytes"), valid) << "lead " << lead;
  }
}

TEST(Utf8, AcceptsWellFormedText) {
  expect_validity("", true);
  expect_validity("{\"a\":\"plain ascii text\"}", true);
  expect_validity("\xc3\xa9", true);          // é, two bytes
  expect_validity("\xe2\x82\xac", true);      // €, three bytes
  expect_validity("\xf0\x9f\x98\x80", true);  // U+1F600, four bytes
  expect_validity("\xf4\x8f\xbf\xbf", true);  // U+10FFFF, the last code point
  expect_validity("\xef\xbb\xbf", true);      // U+FEFF inside text
  expect_validity("\xed\x9f\xbf", true);      // U+D7FF, just below surrogates
  expect_validity("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", true);
}

TEST(Utf8, RefusesMalformedText) {
  expect_validity("\x80", false);  // lone continuation byte
  expect_validity("\xc3", false);  // truncated at the end
  expect_validity("\xe2\x82", false);
  expect_validity("\xc3\x28", false);          // bad continuation
  expect_validity("\xc0\x80", false);          // overlong NUL
  expect_validity("\xe0\x80\xaf", false);      // overlong '/'
  expect_validity("\xed\xa0\x80", false);      // surrogate U+D800
  expect_validity("\xf4\x90\x80\x80", false);  // above U+10FFFF
  expect_validity("\xff", false);
  expect_validity("\xc3\xa9\xc3", false);  // good, then truncated
}

}  // namespace
}  // namespace jormun::api
