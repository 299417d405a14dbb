#include "http/crc32.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

namespace jormun::http {
namespace {

uint32_t zlib_crc(std::string_view s) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

TEST(Crc32, KnownValues) {
  EXPECT_EQ(crc32_of(""), 0u);
  EXPECT_EQ(crc32_of("123456789"), 0xCBF43926u);  // the CRC-32 check value
  EXPECT_EQ(crc32_of("{}"), 2745614147u);         // DynamoDB's empty answer
}

// Every length across the folding steps (64-byte blocks, 16-byte tail
// blocks, the bytes after them) and every start offset modulo 16, so the
// unaligned loads and each reduction path agree with zlib.
TEST(Crc32, AgreesWithZlibAtEveryLengthAndOffset) {
  std::mt19937 rng(7);
  std::string bytes(5000 + 16, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset)
    for (size_t n = 0; n <= 5000; ++n) {
      const std::string_view piece(bytes.data() + offset, n);
      ASSERT_EQ(crc32_of(piece), zlib_crc(piece)) << "offset " << offset << ", length " << n;
    }
}

TEST(Crc32, AgreesWithZlibOnLargeAndUniformBodies) {
  for (char fill : {'\0', '\xff', 'a'}) {
    const std::string body(1 << 20, fill);
    EXPECT_EQ(crc32_of(body), zlib_crc(body)) << int(fill);
  }
}

}  // namespace
}  // namespace jormun::http
