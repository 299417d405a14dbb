#include "http/request_id.h"

#include <cstdint>
#include <random>

namespace jormun::http {

RequestId new_request_id() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
  static constexpr int kLength = RequestId::kLength;
  static constexpr int kBitsPerChar = 5;
  static constexpr int kCharsPerDraw = 64 / kBitsPerChar;
  // Seeded once per thread from the OS so threads never share a sequence.
  thread_local std::mt19937_64 engine = [] {
    std::random_device os;
    std::seed_seq seed{os(), os(), os(), os(), os(), os(), os(), os()};
    return std::mt19937_64(seed);
  }();

  RequestId id;
  std::uint64_t bits = 0;
  for (int i = 0; i < kLength; ++i) {
    if (i % kCharsPerDraw == 0) bits = engine();
    id.text_[i] = kAlphabet[bits & 31u];
    bits >>= kBitsPerChar;
  }
  return id;
}

}  // namespace jormun::http
