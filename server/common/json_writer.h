// The JSON writers of the server: every answer, error body and catalog file.
//
// Debian's RapidJSON 1.1.0 specialises Writer<StringBuffer> to copy runs of
// plain characters 16 bytes at a time (when RAPIDJSON_SSE2 or SSE42 is on,
// as rapidjson_config.h turns it on for the reader). Its test for "below
// 0x20" is max(c, 0x19) == 0x19, so 0x1A-0x1F inside such a block are copied
// unescaped, and the answer is not valid JSON (found by the item_codec fuzz
// target). So the writers are of another type (the stack allocator below
// differs from CrtAllocator in name only), and that type gets a scan of its
// own below with the right test. Without a scan, RapidJSON's generic loop
// handles one byte per round: a GetRecords answer of 1,000 records with
// both images spent half its time there.
#pragma once

#include <cstring>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jormun {

struct JsonWriterStack : rapidjson::CrtAllocator {};

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>,
                                     rapidjson::UTF8<>, JsonWriterStack>;
using PrettyJsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer, rapidjson::UTF8<>,
                                                 rapidjson::UTF8<>, JsonWriterStack>;

}  // namespace jormun

#if defined(__SSE2__)
// Copies the string's bytes up to the next one JSON must escape ('"', '\\'
// or below 0x20), 16 at a time with unaligned loads that never read past the
// string (so AddressSanitizer builds use it too). Returns whether bytes
// remain; RapidJSON's loop then writes the next one, escaped or not, and
// calls this again. The last 15 bytes go through that loop.
template <>
inline bool jormun::JsonWriter::ScanWriteUnescapedString(rapidjson::StringStream& is,
                                                         size_t length) {
  const char* p = is.src_;
  const char* const end = is.head_ + length;
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Unsigned s <= 0x1F exactly when max(s, 0x1F) == 0x1F.
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(s, below_space), below_space);
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(s, quote), _mm_cmpeq_epi8(s, backslash)), control);
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    const size_t plain = mask == 0 ? 16 : static_cast<size_t>(__builtin_ctz(mask));
    std::memcpy(os_->PushUnsafe(plain), p, plain);
    p += plain;
    if (plain < 16) break;
  }
  is.src_ = p;
  return p != end;
}
#endif
