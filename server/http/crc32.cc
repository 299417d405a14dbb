#include "http/crc32.h"

#include <zlib.h>

#include <algorithm>
#include <cstddef>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace jormun::http {
namespace {

// zlib takes a uInt length; feed huge pieces in steps.
std::uint32_t zlib_crc32(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  constexpr std::size_t kStep = 1u << 30;
  uLong c = crc;
  for (std::size_t at = 0; at < n; at += kStep)
    c = crc32(c, p + at, static_cast<uInt>(std::min(kStep, n - at)));
  return static_cast<std::uint32_t>(c);
}

#if defined(__x86_64__)

#define JORMUN_CLMUL __attribute__((target("pclmul,sse4.1")))

// The folding method of Gopal et al., "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ Instruction" (Intel, 2009), for the reflected
// polynomial 0xEDB88320. Each constant is x^k mod P for the fold distance,
// bit-reflected; the last two are P and the Barrett constant floor(x^64 / P).
constexpr long long kFold512Low = 0x154442bd4;   // 4 x 128 bits ahead
constexpr long long kFold512High = 0x1c6e41596;
constexpr long long kFold128Low = 0x1751997d0;   // 128 bits ahead
constexpr long long kFold128High = 0x0ccaa009e;
constexpr long long kFold64 = 0x163cd6124;       // 64 to 32 bits
constexpr long long kPoly = 0x1db710641;
constexpr long long kBarrett = 0x1f7011641;

JORMUN_CLMUL inline __m128i load(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// x times the fold constants k, plus the next 16 bytes.
JORMUN_CLMUL inline __m128i fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(
      _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

// The CRC register (not inverted) after `n` bytes, `n` >= 64 and a
// multiple of 16.
JORMUN_CLMUL std::uint32_t fold_crc32(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  const __m128i k512 = _mm_set_epi64x(kFold512High, kFold512Low);
  const __m128i k128 = _mm_set_epi64x(kFold128High, kFold128Low);
  const __m128i k64 = _mm_set_epi64x(0, kFold64);
  const __m128i barrett = _mm_set_epi64x(kBarrett, kPoly);
  const __m128i low32 = _mm_set_epi32(0, 0, 0, -1);

  __m128i x1 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = load(p + 16);
  __m128i x3 = load(p + 32);
  __m128i x4 = load(p + 48);
  p += 64;
  n -= 64;
  for (; n >= 64; p += 64, n -= 64) {
    x1 = fold(x1, k512, load(p));
    x2 = fold(x2, k512, load(p + 16));
    x3 = fold(x3, k512, load(p + 32));
    x4 = fold(x4, k512, load(p + 48));
  }
  x1 = fold(x1, k128, x2);
  x1 = fold(x1, k128, x3);
  x1 = fold(x1, k128, x4);
  for (; n >= 16; p += 16, n -= 16) x1 = fold(x1, k128, load(p));

  // 128 bits to 64, then to 32 (which appends the 32 zero bits a CRC needs),
  // then Barrett reduction modulo P.
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(k128, x1, 0x01));
  __m128i t = _mm_and_si128(x1, low32);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 4), _mm_clmulepi64_si128(t, k64, 0x00));
  t = _mm_and_si128(x1, low32);
  t = _mm_and_si128(_mm_clmulepi64_si128(t, barrett, 0x10), low32);
  x1 = _mm_xor_si128(x1, _mm_clmulepi64_si128(t, barrett, 0x00));
  return static_cast<std::uint32_t>(_mm_extract_epi32(x1, 1));
}

bool has_clmul() {
  static const bool yes = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return yes;
}

#endif

}  // namespace

std::uint32_t crc32_of(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::uint32_t crc = 0;
#if defined(__x86_64__)
  if (n >= 64 && has_clmul()) {
    const std::size_t folded = n & ~std::size_t{15};
    // zlib's value is the register inverted before and after.
    crc = ~fold_crc32(~crc, p, folded);
    p += folded;
    n -= folded;
  }
#endif
  return zlib_crc32(crc, p, n);
}

}  // namespace jormun::http
