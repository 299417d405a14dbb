// The server's JSON writer copies plain runs of a string 16 bytes at a time
// (common/json_writer.h): its output must equal RapidJSON's byte-at-a-time
// loop for every byte at every offset around those blocks.
#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace jormun {
namespace {

// A writer into another stream type takes RapidJSON's generic loop.
std::string reference(const std::string& s) {
  using Buffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>>;
  Buffer out;
  rapidjson::Writer<Buffer> w(out);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return out.GetString();
}

std::string ours(const std::string& s) {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return out.GetString();
}

TEST(JsonWriter, EveryByteAtEveryOffsetIsWrittenAsRapidJsonsLoopWritesIt) {
  for (int byte = 1; byte < 256; ++byte) {
    for (size_t length : {1, 15, 16, 17, 31, 32, 33, 47, 64}) {
      for (size_t at = 0; at < length; ++at) {
        std::string s(length, 'a');
        s[at] = static_cast<char>(byte);
        ASSERT_EQ(ours(s), reference(s)) << "byte " << byte << " at " << at << " of " << length;
      }
    }
  }
}

TEST(JsonWriter, ControlCharactersInsideALongRunAreEscaped) {
  std::string s(40, 'x');
  s[20] = '\x1a';
  s[21] = '"';
  s[22] = '\\';
  EXPECT_EQ(ours(s), "\"" + std::string(20, 'x') + "\\u001A\\\"\\\\" + std::string(17, 'x') +
                         "\"");
}

TEST(JsonWriter, NulInsideAStringIsEscaped) {
  const std::string s("0123456789abcdef\0ghij", 21);
  EXPECT_EQ(ours(s), "\"0123456789abcdef\\u0000ghij\"");
}

}  // namespace
}  // namespace jormun
