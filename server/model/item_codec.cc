#include "model/item_codec.h"

#include <stdexcept>
#include <vector>

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

  // Only the shortest form, as put_varint writes it: a longer one (a last
  // byte of zero, or bits past 64) would decode to an item whose encoding
  // is not the stored bytes.
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte();
      if (shift == 63 && b > 1) corrupt("varint too long");
      v |= uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) {
        if (b == 0 && shift > 0) corrupt("varint not in shortest form");
        return v;
      }
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
  // Zero has its own sign byte; a signed number without digits would
  // decode as zero and encode differently.
  if (count == 0) corrupt("number without digits");
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

// Reads an encoding and reports it to a visitor. Sets and maps are written
// in their canonical order; anything else is corruption and would break
// equality and lookups, so it is refused here, for every consumer.
class Decoder {
 public:
  Decoder(std::string_view bytes, ItemVisitor& visitor) : r_(bytes), v_(visitor) {}

  void item() {
    uint8_t version = r_.byte();
    if (version != kItemFormatVersion) {
      throw std::runtime_error("unknown item format version " + std::to_string(version));
    }
    map(0);
    if (!r_.at_end()) corrupt("trailing bytes");
  }

 private:
  void map(int depth) {
    uint64_t n = r_.count();
    v_.begin_map(n);
    std::string_view previous;
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view name = r_.bytes();
      if (i > 0 && !(previous < name)) corrupt("names not sorted");
      previous = name;
      v_.name(name);
      value(depth);
    }
    v_.end_map();
  }

  // SS and BS: members are byte strings.
  void byte_set(Type type) {
    uint64_t n = r_.count();
    v_.begin_set(type, n);
    std::string_view previous;
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view member = r_.bytes();
      if (i > 0 && !(previous < member)) corrupt("set not sorted");
      previous = member;
      if (type == Type::SS)
        v_.string(member);
      else
        v_.binary(member);
    }
    v_.end_set();
  }

  void number_set() {
    uint64_t n = r_.count();
    v_.begin_set(Type::NS, n);
    Decimal previous;
    for (uint64_t i = 0; i < n; ++i) {
      Decimal member = get_number(r_);
      if (i > 0 && !(previous < member)) corrupt("set not sorted");
      v_.number(member);
      previous = std::move(member);
    }
    v_.end_set();
  }

  void value(int depth) {
    if (depth > kMaxDepth) corrupt("nested too deeply");
    switch (static_cast<Tag>(r_.byte())) {
      case Tag::kS:
        return v_.string(r_.bytes());
      case Tag::kN:
        return v_.number(get_number(r_));
      case Tag::kB:
        return v_.binary(r_.bytes());
      case Tag::kFalse:
        return v_.boolean(false);
      case Tag::kTrue:
        return v_.boolean(true);
      case Tag::kNull:
        return v_.null();
      case Tag::kSS:
        return byte_set(Type::SS);
      case Tag::kNS:
        return number_set();
      case Tag::kBS:
        return byte_set(Type::BS);
      case Tag::kL: {
        uint64_t n = r_.count();
        v_.begin_list(n);
        for (uint64_t i = 0; i < n; ++i) value(depth + 1);
        return v_.end_list();
      }
      case Tag::kM:
        return map(depth + 1);
    }
    corrupt("unknown tag");
  }

  Reader r_;
  ItemVisitor& v_;
};

// Builds the tree form from the events. Containers being filled are on a
// stack; a value goes into the innermost one.
class TreeBuilder final : public ItemVisitor {
 public:
  Item take() { return std::move(root_.as<Map>()); }

  void begin_map(size_t) override { open(Map{}); }
  void name(std::string_view name) override { stack_.back().name = name; }
  void end_map() override { stack_.pop_back(); }
  void begin_list(size_t size) override {
    List list;
    list.reserve(size);
    open(std::move(list));
  }
  void end_list() override { stack_.pop_back(); }
  void begin_set(Type type, size_t size) override {
    switch (type) {
      case Type::SS:
        open(StringSet{}).as<StringSet>().items.reserve(size);
        return;
      case Type::NS:
        open(NumberSet{}).as<NumberSet>().items.reserve(size);
        return;
      default:
        open(BinarySet{}).as<BinarySet>().items.reserve(size);
        return;
    }
  }
  void end_set() override { stack_.pop_back(); }
  void string(std::string_view s) override {
    AttributeValue& top = *stack_.back().value;
    if (top.is<StringSet>())
      top.as<StringSet>().items.emplace_back(s);
    else
      place(std::string(s));
  }
  void number(const Decimal& n) override {
    AttributeValue& top = *stack_.back().value;
    if (top.is<NumberSet>())
      top.as<NumberSet>().items.push_back(n);
    else
      place(n);
  }
  void binary(std::string_view bytes) override {
    AttributeValue& top = *stack_.back().value;
    if (top.is<BinarySet>())
      top.as<BinarySet>().items.emplace_back(bytes);
    else
      place(Binary{std::string(bytes)});
  }
  void boolean(bool b) override { place(b); }
  void null() override { place(Null{}); }

 private:
  struct Open {
    AttributeValue* value;
    std::string_view name;  // of the next map entry
  };

  // Stores `v` in the innermost map (under the pending name; names arrive
  // sorted, so at the end) or list; the first value is the root.
  AttributeValue& place(AttributeValue&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return root_;
    }
    Open& top = stack_.back();
    if (top.value->is<Map>()) {
      Map& map = top.value->as<Map>();
      return map.emplace_hint(map.end(), std::string(top.name), std::move(v))->second;
    }
    return top.value->as<List>().emplace_back(std::move(v));
  }

  AttributeValue& open(AttributeValue&& container) {
    AttributeValue& placed = place(std::move(container));
    stack_.push_back({&placed, {}});
    return placed;
  }

  AttributeValue root_;
  std::vector<Open> stack_;
};

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

void decode_item(std::string_view bytes, ItemVisitor& visitor) {
  Decoder(bytes, visitor).item();
}

Item decode_item(std::string_view bytes) {
  TreeBuilder tree;
  decode_item(bytes, tree);
  return tree.take();
}

}  // namespace jormun::model
