#include "model/item_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "model/attribute_json.h"
#include "model/item_size.h"

namespace jormun::model {
namespace {

AttributeValue str(std::string s) { return AttributeValue(std::move(s)); }
AttributeValue num(std::string_view s) { return AttributeValue(Decimal::parse(s)); }

// One attribute of every type, nested and empty forms included.
Item sample_item() {
  Item item;
  item["s"] = str("hello");
  item["empty_s"] = str("");
  item["nul_s"] = str(std::string("a\0b", 3));
  item["n"] = num("-12.345");
  item["zero"] = num("0");
  item["big"] = num("9.9999999999999999999999999999999999999E+125");
  item["tiny"] = num("1e-130");
  item["b"] = AttributeValue(Binary{std::string("\x00\xFF\x80", 3)});
  item["empty_b"] = AttributeValue(Binary{});
  item["t"] = AttributeValue(true);
  item["f"] = AttributeValue(false);
  item["null"] = AttributeValue(Null{});
  item["ss"] = AttributeValue(StringSet{{"", "a", "b"}});
  item["ns"] =
      AttributeValue(NumberSet{{Decimal::parse("-1"), Decimal(), Decimal::parse("12")}});
  item["bs"] = AttributeValue(BinarySet{{std::string("\x01", 1), "zz"}});
  item["empty_l"] = AttributeValue(List{});
  item["empty_m"] = AttributeValue(Map{});
  Map inner;
  inner["deep"] = AttributeValue(List{AttributeValue(Map{{"x", num("1")}}), str("y")});
  item["m"] = AttributeValue(inner);
  item["l"] =
      AttributeValue(List{AttributeValue(Null{}), AttributeValue(inner), num("3")});
  item[""] = str("empty name");
  return item;
}

TEST(ItemCodec, RoundTripsEveryType) {
  Item item = sample_item();
  std::string bytes = encode_item(item);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), kItemFormatVersion);
  EXPECT_EQ(decode_item(bytes), item);
  EXPECT_EQ(decode_item(encode_item(Item{})), Item{});
}

// Readers of the stored form that skip the tree give what the tree gives.
TEST(ItemCodec, StoredFormFeedsJsonAndSizeLikeTheTree) {
  for (const Item& item : {sample_item(), Item{}}) {
    const std::string stored = encode_item(item);
    EXPECT_EQ(stored_item_size(stored), item_size(item));
    rapidjson::StringBuffer from_tree, from_stored;
    JsonWriter tree_writer(from_tree), stored_writer(from_stored);
    write_item(item, tree_writer);
    write_stored_item(stored, stored_writer);
    EXPECT_EQ(std::string(from_stored.GetString()), std::string(from_tree.GetString()));
  }
  EXPECT_THROW(stored_item_size("\x01\x05"), std::runtime_error);
}

TEST(ItemCodec, AppendsToExistingOutput) {
  std::string out = "prefix";
  encode_item(sample_item(), &out);
  EXPECT_EQ(out.substr(6), encode_item(sample_item()));
}

// Format version 1 is on disk: these bytes must decode forever.
TEST(ItemCodec, Version1Bytes) {
  Item item;
  item["a"] = str("xy");
  item["n"] = num("-12.5");
  item["z"] = AttributeValue(List{AttributeValue(true), AttributeValue(Null{})});
  // clang-format off
  const std::string expected(
      "\x01"                      // version
      "\x03"                      // 3 attributes
      "\x01" "a" "\x01\x02" "xy"  // a: S "xy"
      "\x01" "n" "\x02"           // n: N
      "\x02\x83\x03\x12\x50"      //   negative, exponent 2+129, 3 digits, BCD 12 50
      "\x01" "z" "\x0A\x02"       // z: L of 2
      "\x05\x06",                 //   true, NULL
      22);
  // clang-format on
  EXPECT_EQ(encode_item(item), expected);
  EXPECT_EQ(decode_item(expected), item);
}

void expect_corrupt(std::string_view bytes) {
  EXPECT_THROW(decode_item(bytes), std::runtime_error) << testing::PrintToString(bytes);
}

TEST(ItemCodec, EveryTruncationIsRejected) {
  std::string bytes = encode_item(sample_item());
  for (size_t n = 0; n < bytes.size(); ++n) expect_corrupt(bytes.substr(0, n));
}

// clang-format off
TEST(ItemCodec, RejectsCorruption) {
  expect_corrupt("\x02\x00");                          // unknown version
  expect_corrupt(std::string("\x01\x01\x01" "a" "\x00", 5));  // tag 0
  expect_corrupt("\x01\x01\x01" "a" "\x0C");           // tag 12
  expect_corrupt(std::string("\x01\x00\x00", 3));      // trailing byte
  expect_corrupt("\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01");  // varint > 64 bits
  // Varints the encoder never writes: decoding them would give an item whose
  // encoding differs from the stored bytes. A zero in a padded second byte,
  // and bits beyond 64 that would be dropped (this one decodes as 0).
  expect_corrupt(std::string("\x01\x80\x00", 3));
  expect_corrupt("\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02");
  expect_corrupt(std::string("\x01\x01\x81\x00" "a" "\x06", 6));  // name length 1 in 2 bytes
  expect_corrupt("\x01\x05");                          // count beyond input
  // Names out of order, and a duplicate name.
  expect_corrupt("\x01\x02\x01" "b" "\x06\x01" "a" "\x06");
  expect_corrupt("\x01\x02\x01" "a" "\x06\x01" "a" "\x06");
  // A string set out of order.
  expect_corrupt("\x01\x01\x01" "a" "\x07\x02\x01" "b" "\x01" "a");
  // Numbers: bad sign, a BCD nibble over 9, a trailing zero digit, a
  // nonzero pad nibble, 39 digits, a sign with no digits (zero has its own
  // sign byte; found by the item_codec fuzzer). (Every exponent byte is in
  // range.)
  expect_corrupt("\x01\x01\x01" "a" "\x02\x03");
  expect_corrupt(std::string("\x01\x01\x01" "a" "\x02\x01\x81\x00", 8));
  expect_corrupt("\x01\x01\x01" "a" "\x02\x01\x81\x01\xA0");
  expect_corrupt("\x01\x01\x01" "a" "\x02\x01\x81\x02\x10");
  expect_corrupt("\x01\x01\x01" "a" "\x02\x01\x81\x01\x11");
  std::string long_number("\x01\x01\x01" "a" "\x02\x01\x81\x27", 8);
  long_number.append(20, '\x11');
  expect_corrupt(long_number);
  // Nesting beyond the decoder's bound.
  std::string deep("\x01\x01\x01" "a", 4);
  for (int i = 0; i < 300; ++i) deep.append("\x0A\x01", 2);
  deep.push_back('\x06');
  expect_corrupt(deep);
}
// clang-format on

// Random byte flips must either be refused or decode to an item whose
// encoding is the damaged bytes exactly: the decoder accepts canonical
// encodings only, so one item has one stored form. (Never a crash or an
// overread either, which -DJORMUN_SANITIZE=ON checks; tests/fuzz/ does the
// same with libFuzzer.)
TEST(ItemCodec, RandomCorruptionIsRefusedOrRoundTrips) {
  std::string bytes = encode_item(sample_item());
  std::mt19937 rng(42);
  int decoded = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string damaged = bytes;
    for (int flips = 1 + round % 3; flips > 0; --flips) {
      damaged[rng() % damaged.size()] = static_cast<char>(rng());
    }
    Item item;
    try {
      item = decode_item(damaged);
    } catch (const std::runtime_error&) {
      continue;
    }
    ++decoded;
    EXPECT_EQ(encode_item(item), damaged) << testing::PrintToString(damaged);
  }
  // Flips inside strings and binaries keep the encoding valid: the loop
  // above must have checked some round trips.
  EXPECT_GT(decoded, 0);
}

}  // namespace
}  // namespace jormun::model
