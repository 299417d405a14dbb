#include "crash_layout.h"

#include "kit.h"

namespace jormun::check {
namespace {

void append_be64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out += static_cast<char>((v >> shift) & 0xFF);
}

uint64_t read_be64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(in[i]);
  return v;
}

}  // namespace

std::string crash_key(int slot, uint64_t batch) {
  std::string n;
  append_be64(n, batch);
  return sharded_key(slot, n);
}

std::optional<uint64_t> batch_of_key(std::string_view key) {
  if (key.size() != 16) return std::nullopt;
  return read_be64(key.substr(8));
}

std::optional<uint64_t> batch_of_value(std::string_view value) {
  if (value.size() < 8) return std::nullopt;
  return read_be64(value);
}

std::string crash_value(int slot, uint64_t batch) {
  std::string value;
  append_be64(value, batch);
  // Sizes up to ~6 KB make some batches span several pages or blocks.
  value.append((batch * 131 + static_cast<uint64_t>(slot) * 977) % 6000,
               static_cast<char>('a' + slot));
  return value;
}

}  // namespace jormun::check
