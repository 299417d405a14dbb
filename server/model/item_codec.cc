#include "model/item_codec.h"

#include <stdexcept>

namespace jormun::model {
namespace {

// Value tags of item format version 1 (layout in docs/architecture.md,
// "Item codec"). DO NOT CHANGE or reorder: they are on disk.
enum class Tag : uint8_t {
  kS = 1,
  kN = 2,
  kB = 3,
  kFalse = 4,
  kTrue = 5,
  kNull = 6,
  kSS = 7,
  kNS = 8,
  kBS = 9,
  kL = 10,
  kM = 11,
};

// Sign byte of an encoded number. DO NOT CHANGE: on disk.
enum class NumberSign : uint8_t { kZero = 0, kPositive = 1, kNegative = 2 };

// Far deeper than DynamoDB's 32 levels; bounds the decoder's recursion on
// corrupt input.
constexpr int kMaxDepth = 256;

void put_varint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void put_tag(Tag tag, std::string* out) { out->push_back(static_cast<char>(tag)); }

void put_bytes(std::string_view bytes, std::string* out) {
  put_varint(bytes.size(), out);
  out->append(bytes);
}

// Sign byte; then, unless zero: exponent + 129 (0..255), the digit count,
// and the digits as packed BCD, high nibble first, padded with a 0 nibble.
void put_number(const Decimal& d, std::string* out) {
  if (d.is_zero()) {
    out->push_back(static_cast<char>(NumberSign::kZero));
    return;
  }
  out->push_back(
      static_cast<char>(d.negative() ? NumberSign::kNegative : NumberSign::kPositive));
  out->push_back(static_cast<char>(d.exponent() - Decimal::kMinExponent));
  const std::string& digits = d.digits();
  out->push_back(static_cast<char>(digits.size()));
  for (size_t i = 0; i < digits.size(); i += 2) {
    int high = digits[i] - '0';
    int low = i + 1 < digits.size() ? digits[i + 1] - '0' : 0;
    out->push_back(static_cast<char>(high << 4 | low));
  }
}

void put_value(const AttributeValue& v, std::string* out);

void put_map(const Map& map, std::string* out) {
  put_varint(map.size(), out);
  for (const auto& [name, value] : map) {
    put_bytes(name, out);
    put_value(value, out);
  }
}

void put_value(const AttributeValue& v, std::string* out) {
  switch (v.type()) {
    case Type::S:
      put_tag(Tag::kS, out);
      put_bytes(v.as<std::string>(), out);
      return;
    case Type::N:
      put_tag(Tag::kN, out);
      put_number(v.as<Decimal>(), out);
      return;
    case Type::B:
      put_tag(Tag::kB, out);
      put_bytes(v.as<Binary>().bytes, out);
      return;
    case Type::BOOL:
      put_tag(v.as<bool>() ? Tag::kTrue : Tag::kFalse, out);
      return;
    case Type::NULL_:
      put_tag(Tag::kNull, out);
      return;
    case Type::SS:
      put_tag(Tag::kSS, out);
      put_varint(v.as<StringSet>().items.size(), out);
      for (const auto& s : v.as<StringSet>().items) put_bytes(s, out);
      return;
    case Type::NS:
      put_tag(Tag::kNS, out);
      put_varint(v.as<NumberSet>().items.size(), out);
      for (const auto& n : v.as<NumberSet>().items) put_number(n, out);
      return;
    case Type::BS:
      put_tag(Tag::kBS, out);
      put_varint(v.as<BinarySet>().items.size(), out);
      for (const auto& b : v.as<BinarySet>().items) put_bytes(b, out);
      return;
    case Type::L:
      put_tag(Tag::kL, out);
      put_varint(v.as<List>().size(), out);
      for (const auto& element : v.as<List>()) put_value(element, out);
      return;
    case Type::M:
      put_tag(Tag::kM, out);
      put_map(v.as<Map>(), out);
      return;
  }
}

[[noreturn]] void corrupt(const char* what) {
  throw std::runtime_error(std::string("corrupt item encoding: ") + what);
}

// A bounds-checked cursor over the encoded bytes.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool at_end() const { return in_.empty(); }

  uint8_t byte() {
    if (in_.empty()) corrupt("truncated");
    auto b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return b;
  }

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte();
      v |= uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) return v;
    }
    corrupt("varint too long");
  }

  std::string_view bytes() {
    uint64_t n = varint();
    if (n > in_.size()) corrupt("truncated");
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }

  // An element count; every element takes at least one byte, which bounds
  // what corrupt input can make the decoder allocate.
  uint64_t count() {
    uint64_t n = varint();
    if (n > in_.size()) corrupt("count exceeds input");
    return n;
  }

 private:
  std::string_view in_;
};

Decimal get_number(Reader& r) {
  auto sign = static_cast<NumberSign>(r.byte());
  if (sign == NumberSign::kZero) return Decimal();
  if (sign != NumberSign::kPositive && sign != NumberSign::kNegative)
    corrupt("bad number sign");
  int32_t exponent = r.byte() + Decimal::kMinExponent;
  uint8_t count = r.byte();
  std::string digits;
  for (size_t i = 0; i < count; i += 2) {
    uint8_t b = r.byte();
    digits.push_back(static_cast<char>('0' + (b >> 4)));
    if (i + 1 < count) {
      digits.push_back(static_cast<char>('0' + (b & 0x0F)));
    } else if ((b & 0x0F) != 0) {
      corrupt("bad number padding");
    }
    if ((b >> 4) > 9 || (b & 0x0F) > 9) corrupt("bad number digit");
  }
  auto d =
      Decimal::from_parts(sign == NumberSign::kNegative, exponent, std::move(digits));
  if (!d) corrupt("non-canonical number");
  return *d;
}

// Sets and maps are written in their canonical order; anything else is
// corruption and would break equality and lookups.
template <typename T>
void check_ascending(const std::vector<T>& items) {
  for (size_t i = 1; i < items.size(); ++i) {
    if (!(items[i - 1] < items[i])) corrupt("set not sorted");
  }
}

AttributeValue get_value(Reader& r, int depth);

Map get_map(Reader& r, int depth) {
  Map map;
  uint64_t n = r.count();
  for (uint64_t i = 0; i < n; ++i) {
    std::string name(r.bytes());
    if (!map.empty() && !(map.rbegin()->first < name)) corrupt("names not sorted");
    AttributeValue value = get_value(r, depth);
    map.emplace_hint(map.end(), std::move(name), std::move(value));
  }
  return map;
}

AttributeValue get_value(Reader& r, int depth) {
  if (depth > kMaxDepth) corrupt("nested too deeply");
  switch (static_cast<Tag>(r.byte())) {
    case Tag::kS:
      return std::string(r.bytes());
    case Tag::kN:
      return get_number(r);
    case Tag::kB:
      return Binary{std::string(r.bytes())};
    case Tag::kFalse:
      return false;
    case Tag::kTrue:
      return true;
    case Tag::kNull:
      return Null{};
    case Tag::kSS: {
      StringSet set;
      for (uint64_t n = r.count(); n > 0; --n) set.items.emplace_back(r.bytes());
      check_ascending(set.items);
      return set;
    }
    case Tag::kNS: {
      NumberSet set;
      for (uint64_t n = r.count(); n > 0; --n) set.items.push_back(get_number(r));
      check_ascending(set.items);
      return set;
    }
    case Tag::kBS: {
      BinarySet set;
      for (uint64_t n = r.count(); n > 0; --n) set.items.emplace_back(r.bytes());
      check_ascending(set.items);
      return set;
    }
    case Tag::kL: {
      List list;
      for (uint64_t n = r.count(); n > 0; --n) list.push_back(get_value(r, depth + 1));
      return list;
    }
    case Tag::kM:
      return get_map(r, depth + 1);
  }
  corrupt("unknown tag");
}

}  // namespace

void encode_item(const Item& item, std::string* out) {
  out->push_back(static_cast<char>(kItemFormatVersion));
  put_map(item, out);
}

std::string encode_item(const Item& item) {
  std::string out;
  encode_item(item, &out);
  return out;
}

Item decode_item(std::string_view bytes) {
  Reader r(bytes);
  uint8_t version = r.byte();
  if (version != kItemFormatVersion) {
    throw std::runtime_error("unknown item format version " + std::to_string(version));
  }
  Item item = get_map(r, 0);
  if (!r.at_end()) corrupt("trailing bytes");
  return item;
}

}  // namespace jormun::model
