#include "items.h"

#include <algorithm>
#include <charconv>
#include <random>

namespace jormun::bench {

namespace {
constexpr std::string_view kKvPrefix = "user";
constexpr std::string_view kPartitionPrefix = "part";
constexpr int kIndexDigits = 12;
// Attribute names, the key and number overhead: what an item holds besides
// the payload characters, approximately.
constexpr size_t kItemOverhead = 32;

std::string padded(std::string_view prefix, uint64_t n) {
  std::string s(prefix);
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  s.append(kIndexDigits - std::min<size_t>(kIndexDigits, end - digits), '0');
  s.append(digits, end);
  return s;
}
}  // namespace

ItemSet::ItemSet(size_t item_size, uint64_t seed)
    : payload_size_(item_size > kItemOverhead + 24 ? item_size - kItemOverhead : 24) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> letter(0, 25);
  filler_.resize(payload_size_);
  for (auto& c : filler_) c = static_cast<char>('a' + letter(rng));
}

std::string ItemSet::partition_key(TableShape shape, uint64_t index) {
  return shape == TableShape::kv ? padded(kKvPrefix, index)
                                 : padded(kPartitionPrefix, index / kItemsPerPartition);
}

std::optional<uint64_t> ItemSet::kv_index(std::string_view pk) {
  if (!pk.starts_with(kKvPrefix)) return std::nullopt;
  uint64_t n = 0;
  const char* first = pk.data() + kKvPrefix.size();
  auto [end, ec] = std::from_chars(first, pk.data() + pk.size(), n);
  if (ec != std::errc() || end != pk.data() + pk.size()) return std::nullopt;
  return n;
}

void ItemSet::append_payload(uint64_t index, std::string& out) const {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  const size_t head = end - digits + 1;
  out.append(digits, end);
  out.push_back(':');
  out.append(filler_, 0, payload_size_ - head);
}

bool ItemSet::payload_matches(uint64_t index, std::string_view v) const {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  const std::string_view number(digits, end - digits);
  const size_t head = number.size() + 1;
  return v.size() == payload_size_ && v.starts_with(number) && v[number.size()] == ':' &&
         v.substr(head) == std::string_view(filler_).substr(0, payload_size_ - head);
}

}  // namespace jormun::bench
