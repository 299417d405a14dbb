#include "http/request_id.h"

#include <cstdint>
#include <random>

namespace jormun::http {

std::string new_request_id() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
  static constexpr int kLength = 52;
  static constexpr int kBitsPerChar = 5;
  static constexpr int kCharsPerDraw = 64 / kBitsPerChar;
  // Seeded once per thread from the OS so threads never share a sequence.
  thread_local std::mt19937_64 engine = [] {
    std::random_device os;
    std::seed_seq seed{os(), os(), os(), os(), os(), os(), os(), os()};
    return std::mt19937_64(seed);
  }();

  std::string id(kLength, '0');
  std::uint64_t bits = 0;
  for (int i = 0; i < kLength; ++i) {
    if (i % kCharsPerDraw == 0) bits = engine();
    id[i] = kAlphabet[bits & 31u];
    bits >>= kBitsPerChar;
  }
  return id;
}

}  // namespace jormun::http
