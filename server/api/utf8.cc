#include "api/utf8.h"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>

#include <cstdint>
#include <cstring>

namespace jormun::api {
namespace {

// RapidJSON's validator copies what it reads into an output stream; this one
// drops it.
struct Discard {
  using Ch = char;
  void Put(char) {}
};

}  // namespace

bool is_valid_utf8(std::string_view text) {
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  const char* p = text.data();
  const char* const end = p + text.size();
  Discard discard;
  while (p < end) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & kHighBits) == 0) {
        p += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    // One multi-byte code point. The stream stops at a NUL, which is never
    // part of a valid multi-byte sequence, so a truncated one at the end
    // fails here too.
    rapidjson::MemoryStream in(p, static_cast<size_t>(end - p));
    if (!rapidjson::UTF8<>::Validate(in, discard)) return false;
    p += in.Tell();
  }
  return true;
}

}  // namespace jormun::api
