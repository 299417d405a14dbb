#include "model/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace jormun::model {
namespace {

AttributeValue S(std::string s) { return AttributeValue(std::move(s)); }
AttributeValue N(std::string_view s) { return AttributeValue(Decimal::parse(s)); }
AttributeValue B(std::string s) { return AttributeValue(Binary{std::move(s)}); }

std::string encode(const AttributeValue& v, bool self_delimiting) {
  std::string out;
  append_key_value(v, self_delimiting, &out);
  return out;
}

std::string hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out += kDigits[static_cast<uint8_t>(c) >> 4];
    out += kDigits[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

int sign(int x) { return (x > 0) - (x < 0); }

// The order of two non-negative decimals in plain notation ("12.5", "0.001",
// "300"), digit by digit: integer parts by length then digits, then the
// fractions padded with zeros to one length.
int compare_magnitudes(std::string_view a, std::string_view b) {
  auto split = [](std::string_view t) {
    size_t dot = t.find('.');
    std::string_view whole = t.substr(0, dot);
    while (!whole.empty() && whole.front() == '0') whole.remove_prefix(1);
    std::string fraction(dot == t.npos ? "" : t.substr(dot + 1));
    return std::pair{whole, fraction};
  };
  auto [whole_a, fraction_a] = split(a);
  auto [whole_b, fraction_b] = split(b);
  if (whole_a.size() != whole_b.size()) return whole_a.size() < whole_b.size() ? -1 : 1;
  if (int c = sign(whole_a.compare(whole_b))) return c;
  size_t width = std::max(fraction_a.size(), fraction_b.size());
  fraction_a.resize(width, '0');
  fraction_b.resize(width, '0');
  return sign(fraction_a.compare(fraction_b));
}

// The numeric order of two decimals in plain notation, exactly: an oracle
// that shares no code with Decimal::compare or the key codec.
int compare_decimal_texts(std::string_view a, std::string_view b) {
  bool negative_a = a.front() == '-', negative_b = b.front() == '-';
  if (negative_a != negative_b) return negative_a ? -1 : 1;
  if (negative_a) return compare_magnitudes(b.substr(1), a.substr(1));
  return compare_magnitudes(a, b);
}

TEST(KeyCodec, TheNumberOracleOrdersPlainDecimals) {
  EXPECT_EQ(compare_decimal_texts("0", "0.001"), -1);
  EXPECT_EQ(compare_decimal_texts("-0.001", "0"), -1);
  EXPECT_EQ(compare_decimal_texts("12.5", "12.50"), 0);
  EXPECT_EQ(compare_decimal_texts("99", "100"), -1);
  EXPECT_EQ(compare_decimal_texts("-99", "-100"), 1);
  EXPECT_EQ(compare_decimal_texts("-12.5", "-12.49"), -1);
  EXPECT_EQ(compare_decimal_texts("1.1", "1.09"), 1);
}

// DynamoDB's order of two key values of one type. Numbers are compared by
// their canonical text (Decimal::to_string never uses exponent notation).
int dynamo_compare(const AttributeValue& a, const AttributeValue& b) {
  if (a.is<Decimal>())
    return compare_decimal_texts(a.as<Decimal>().to_string(),
                                 b.as<Decimal>().to_string());
  if (a.is<std::string>()) return sign(a.as<std::string>().compare(b.as<std::string>()));
  return sign(a.as<Binary>().bytes.compare(b.as<Binary>().bytes));
}

// On disk: these must never change.
TEST(KeyCodec, PartitionHashVectors) {
  EXPECT_EQ(partition_hash(S("")), 0x81efe3b83ca3d1f4ull);
  EXPECT_EQ(partition_hash(S("a")), 0x4db6a851d26ba801ull);
  EXPECT_EQ(partition_hash(S("user#1")), 0xc49cce505aa1e7c6ull);
  EXPECT_EQ(partition_hash(S("\xC3\xA9")), 0xc24161afd0c76085ull);
  EXPECT_EQ(partition_hash(B(std::string("\x00\x01", 2))), 0x4eaec7a9caae87d0ull);
  EXPECT_EQ(partition_hash(N("0")), 0xd5ffd99e6fd866caull);
  EXPECT_EQ(partition_hash(N("1")), 0xcd8cd96de986da44ull);
  EXPECT_EQ(partition_hash(N("1.000")), 0xcd8cd96de986da44ull);
  EXPECT_EQ(partition_hash(N("-1")), 0x3ba9429476059dedull);
  EXPECT_EQ(partition_hash(N("12.5")), 0x6d90b190bc8958f6ull);
}

TEST(KeyCodec, EncodingVectors) {
  EXPECT_EQ(hex(encode(S("ab"), false)), "6162");
  EXPECT_EQ(hex(encode(S("ab"), true)), "61620001");
  EXPECT_EQ(hex(encode(S(std::string("a\0b", 3)), true)), "6100ff620001");
  EXPECT_EQ(hex(encode(S(""), true)), "0001");
  EXPECT_EQ(hex(encode(B(std::string("\x00", 1)), false)), "00");
  EXPECT_EQ(hex(encode(N("0"), false)), "02");
  EXPECT_EQ(hex(encode(N("1"), false)), "03820b00");
  EXPECT_EQ(hex(encode(N("-1"), true)), "017df4ff");
  EXPECT_EQ(hex(encode(N("12.5"), false)), "03830d3300");
  EXPECT_EQ(hex(encode(N("1e-130"), false)), "03000b00");
  std::string nineteen_99s;  // each pair 9 9 is the byte 1 + 99 = 0x64
  for (int i = 0; i < 19; ++i) nineteen_99s += "64";
  EXPECT_EQ(hex(encode(N("9.9999999999999999999999999999999999999E+125"), false)),
            "03ff" + nineteen_99s + "00");
}

TEST(KeyCodec, Layouts) {
  AttributeValue pk = S("p"), sk = N("1"), ipk = B("i"), isk = S("x");
  EXPECT_EQ(hex(partition_prefix(pk)),
            "2b4de9ccebeadf6f"
            "0001"
            "70");
  EXPECT_EQ(hex(base_key(pk, nullptr)),
            "2b4de9ccebeadf6f"
            "0001"
            "70");
  EXPECT_EQ(hex(base_key(pk, &sk)),
            "2b4de9ccebeadf6f"
            "0001"
            "70"
            "03820b00");
  EXPECT_EQ(hex(index_key(ipk, &isk, pk, &sk)),
            "245ae64b6e872358"
            "0001"
            "69"
            "780001"
            "0001"
            "70"
            "03820b00");
  EXPECT_EQ(hex(index_key(ipk, nullptr, pk, nullptr)),
            "245ae64b6e872358"
            "0001"
            "69"
            "0001"
            "70");
  std::string h;
  append_hash(0x0102030405060708ull, &h);
  EXPECT_EQ(hex(h), "0102030405060708");
}

// A multi-attribute key of one value is encoded as a one-attribute key is:
// existing indexes keep their bytes on disk.
TEST(KeyCodec, OneValueTuplesKeepTheOneAttributeLayout) {
  AttributeValue pk = S("p"), sk = N("1"), ipk = B("i"), isk = S("x");
  const AttributeValue* ipks[] = {&ipk};
  const AttributeValue* isks[] = {&isk};
  EXPECT_EQ(partition_prefix(KeyTuple(ipks)), partition_prefix(ipk));
  EXPECT_EQ(index_key(KeyTuple(ipks), KeyTuple(isks), pk, &sk),
            index_key(ipk, &isk, pk, &sk));
  EXPECT_EQ(index_key(KeyTuple(ipks), KeyTuple(), pk, nullptr),
            index_key(ipk, nullptr, pk, nullptr));
}

// Vectors of the tuple layout (docs/architecture.md, "Key format").
TEST(KeyCodec, TupleLayouts) {
  AttributeValue a = S("a"), one = N("1"), pk = S("p");
  const AttributeValue* ipk[] = {&a, &one};
  EXPECT_EQ(hex(partition_prefix(KeyTuple(ipk))),
            "48009ec0a4984990"
            "0007"
            "610001"
            "03820b00");
  const AttributeValue* isk[] = {&one, &a};
  EXPECT_EQ(hex(index_key(KeyTuple(ipk), KeyTuple(isk), pk, nullptr)),
            "48009ec0a4984990"
            "0007"
            "610001"
            "03820b00"
            "03820b00"
            "610001"
            "0001"
            "70");
}

// Different tuples are different partitions, also where the plain
// concatenation of their values would be the same bytes.
TEST(KeyCodec, TuplePartitionsAreDistinct) {
  AttributeValue ab = S("ab"), c = S("c"), a = S("a"), bc = S("bc");
  const AttributeValue* x[] = {&ab, &c};
  const AttributeValue* y[] = {&a, &bc};
  EXPECT_NE(partition_prefix(KeyTuple(x)), partition_prefix(KeyTuple(y)));
}

// Sort key tuples order left to right, each value in DynamoDB's order.
TEST(KeyCodec, SortTuplesOrderLeftToRight) {
  std::mt19937 rng(11);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const std::string strings[] = {"", "a", std::string("a\0", 2), "ab", "b", "\xff"};
  const char* numbers[] = {"-10", "-1", "0", "0.5", "1", "10"};
  AttributeValue ipk = S("i"), pk = S("p");
  const AttributeValue* ipks[] = {&ipk};
  for (int i = 0; i < 3000; ++i) {
    AttributeValue a[3], b[3];
    for (int j = 0; j < 3; ++j) {
      auto make = [&] { return j == 1 ? N(numbers[pick(6)]) : S(strings[pick(6)]); };
      a[j] = make();
      b[j] = pick(3) == 0 ? a[j] : make();
    }
    int expected = 0;
    for (int j = 0; j < 3 && expected == 0; ++j) {
      if (a[j].is<std::string>())
        expected = sign(a[j].as<std::string>().compare(b[j].as<std::string>()));
      else
        expected = a[j].as<Decimal>().compare(b[j].as<Decimal>());
    }
    const AttributeValue* as[] = {&a[0], &a[1], &a[2]};
    const AttributeValue* bs[] = {&b[0], &b[1], &b[2]};
    EXPECT_EQ(sign(index_key(KeyTuple(ipks), KeyTuple(as), pk, nullptr)
                       .compare(index_key(KeyTuple(ipks), KeyTuple(bs), pk, nullptr))),
              sign(expected));
  }
}

TEST(KeyCodec, RejectsNonKeyTypes) {
  std::string out;
  EXPECT_THROW(append_key_value(AttributeValue(true), false, &out),
               std::invalid_argument);
  EXPECT_THROW(partition_hash(AttributeValue(List{})), std::invalid_argument);
  EXPECT_THROW(base_key(S(std::string(70000, 'x')), nullptr), std::invalid_argument);
}

// Random key values that are often close to each other: shared prefixes,
// equal exponents, bytes around the escape value.
class RandomKeys {
 public:
  explicit RandomKeys(uint32_t seed) : rng_(seed) {}

  AttributeValue number() {
    if (pick(12) == 0) return AttributeValue(Decimal());
    std::string digits;
    size_t count = 1 + pick(38);
    for (size_t i = 0; i < count; ++i) {
      digits += "0123456789"[pick(3) == 0 ? pick(10) : "019"[pick(3)] - '0'];
    }
    digits.front() = static_cast<char>('1' + pick(9));
    digits.back() = static_cast<char>('1' + pick(9));
    int32_t exponent = pick(2) == 0
                           ? static_cast<int32_t>(pick(5)) - 2
                           : Decimal::kMinExponent +
                                 static_cast<int32_t>(pick(Decimal::kMaxExponent -
                                                           Decimal::kMinExponent + 1));
    return AttributeValue(*Decimal::from_parts(pick(2) == 0, exponent, digits));
  }

  std::string bytes() {
    static const char kAlphabet[] = {'\x00', '\x01', 'a', '\x7f', '\x80', '\xff'};
    std::string out;
    for (size_t n = pick(6); n > 0; --n) out += kAlphabet[pick(sizeof kAlphabet)];
    return out;
  }

  AttributeValue of(Type type) {
    if (type == Type::N) return number();
    if (type == Type::S) return AttributeValue(bytes());
    return AttributeValue(Binary{bytes()});
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  std::mt19937 rng_;
};

class KeyOrder : public testing::TestWithParam<Type> {};

TEST_P(KeyOrder, EncodingOrderIsDynamoOrder) {
  RandomKeys random(1234);
  for (int i = 0; i < 20000; ++i) {
    AttributeValue a = random.of(GetParam()), b = random.of(GetParam());
    int expected = dynamo_compare(a, b);
    EXPECT_EQ(sign(encode(a, false).compare(encode(b, false))), expected);
    // Prefix-free: whatever follows, distinct values keep their order.
    std::string tail_a = random.bytes(), tail_b = random.bytes();
    int delimited = sign((encode(a, true) + tail_a).compare(encode(b, true) + tail_b));
    if (expected != 0) {
      EXPECT_EQ(delimited, expected)
          << hex(encode(a, true)) << " vs " << hex(encode(b, true));
    } else {
      EXPECT_EQ(encode(a, true), encode(b, true));
    }
  }
}

TEST_P(KeyOrder, BaseKeysOrderBySortKeyWithinAPartition) {
  RandomKeys random(99);
  AttributeValue pk = S("partition");
  std::string prefix = partition_prefix(pk);
  for (int i = 0; i < 5000; ++i) {
    AttributeValue a = random.of(GetParam()), b = random.of(GetParam());
    std::string ka = base_key(pk, &a), kb = base_key(pk, &b);
    EXPECT_EQ(ka.compare(0, prefix.size(), prefix), 0);
    EXPECT_EQ(sign(ka.compare(kb)), dynamo_compare(a, b));
  }
}

// Within one index partition entries order by index sort key, then by the
// base key (length-prefixed pk, then sk).
TEST_P(KeyOrder, IndexKeysOrderByTuple) {
  RandomKeys random(7);
  AttributeValue ipk = N("42");
  for (int i = 0; i < 5000; ++i) {
    AttributeValue isk_a = random.of(GetParam()), isk_b = random.of(GetParam());
    AttributeValue pk_a = S(random.bytes()), pk_b = S(random.bytes());
    AttributeValue sk_a = random.number(), sk_b = random.number();
    if (random.pick(4) == 0) isk_b = isk_a;
    if (random.pick(2) == 0) pk_b = pk_a;
    int expected = dynamo_compare(isk_a, isk_b);
    if (expected == 0) {
      const std::string &pa = pk_a.as<std::string>(), &pb = pk_b.as<std::string>();
      expected = pa.size() != pb.size() ? (pa.size() < pb.size() ? -1 : 1)
                                        : sign(pa.compare(pb));
    }
    if (expected == 0) expected = dynamo_compare(sk_a, sk_b);
    std::string ka = index_key(ipk, &isk_a, pk_a, &sk_a);
    std::string kb = index_key(ipk, &isk_b, pk_b, &sk_b);
    EXPECT_EQ(sign(ka.compare(kb)), expected);
  }
}

INSTANTIATE_TEST_SUITE_P(KeyTypes, KeyOrder, testing::Values(Type::S, Type::N, Type::B),
                         [](const auto& info) {
                           return std::string(type_name(info.param));
                         });

// Parallel scan splits the hash space into equal ranges, so the top bits
// must spread even sequential keys evenly.
TEST(KeyCodec, HashSpreadsTopBits) {
  constexpr int kKeys = 16384, kBuckets = 16;
  int buckets[kBuckets] = {};
  for (int i = 0; i < kKeys; ++i)
    ++buckets[partition_hash(S("user#" + std::to_string(i))) >> 60];
  for (int count : buckets) {
    EXPECT_GT(count, kKeys / kBuckets * 9 / 10);
    EXPECT_LT(count, kKeys / kBuckets * 11 / 10);
  }
}

}  // namespace
}  // namespace jormun::model
