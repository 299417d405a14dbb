#include "model/base64.h"

#include <array>
#include <cstdint>

namespace jormun::model {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of each alphabet character, -1 for anything else.
constexpr std::array<int8_t, 256> make_values() {
  std::array<int8_t, 256> values{};
  values.fill(-1);
  for (int i = 0; i < 64; ++i)
    values[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return values;
}
constexpr std::array<int8_t, 256> kValues = make_values();

int value_of(char c) { return kValues[static_cast<uint8_t>(c)]; }

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16 |
                 uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8 |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) n |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, std::string* error) {
  if (text.size() % 4 != 0) {
    *error = "Base64 encoded length is expected a multiple of 4 bytes but found: " +
             std::to_string(text.size());
    return std::nullopt;
  }
  // The first character that is outside the alphabet, or a '=' that is
  // followed by anything but more padding.
  for (size_t i = 0; i < text.size(); ++i) {
    bool pad = text[i] == '=';
    if ((!pad && value_of(text[i]) < 0) ||
        (pad && i + 1 < text.size() && text[i + 1] != '=')) {
      *error = std::string("Invalid Base64 character: '") + text[i] + "'";
      return std::nullopt;
    }
  }
  // The DynamoDB parser's own spelling, typo included.
  const char* kNotCanonical = "Invalid last non-pad Base64 character dectected";
  size_t data = text.find('=');
  if (data == std::string_view::npos) data = text.size();
  size_t pads = text.size() - data;
  if (pads > 2 || (pads > 0 && data % 4 + pads != 4)) {
    *error = kNotCanonical;
    return std::nullopt;
  }
  std::string out;
  out.reserve(data / 4 * 3 + 2);
  uint32_t bits = 0;
  int bit_count = 0;
  for (size_t i = 0; i < data; ++i) {
    bits = (bits << 6) | static_cast<uint32_t>(value_of(text[i]));
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  // Leftover bits must be zero, else the text is not its bytes' encoding.
  if ((bits & ((1u << bit_count) - 1)) != 0) {
    *error = kNotCanonical;
    return std::nullopt;
  }
  return out;
}

}  // namespace jormun::model
