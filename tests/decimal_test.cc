#include "model/decimal.h"

#include <gtest/gtest.h>

#include <string>

#include "common/api_error.h"

namespace jormun::model {
namespace {

const char kNotNumeric[] = "The parameter cannot be converted to a numeric value";
const char kTooManyDigits[] =
    "Attempting to store more than 38 significant digits in a Number";
const char kOverflow[] =
    "Number overflow. Attempting to store a number with magnitude larger than "
    "supported range";
const char kUnderflow[] =
    "Number underflow. Attempting to store a number with magnitude smaller than "
    "supported range";

std::string canon(std::string_view text) { return Decimal::parse(text).to_string(); }

// The message of the ValidationException `f` throws, or "" if none.
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.type(), "ValidationException");
    return e.message();
  }
  return "";
}

std::string parse_error(std::string_view text) {
  return error_of([&] { Decimal::parse(text); });
}

std::string sum(std::string_view a, std::string_view b) {
  return Decimal::add(Decimal::parse(a), Decimal::parse(b)).to_string();
}

TEST(Decimal, CanonicalText) {
  EXPECT_EQ(canon("0"), "0");
  EXPECT_EQ(canon("0.0"), "0");
  EXPECT_EQ(canon("-0"), "0");
  EXPECT_EQ(canon("-0.000e5"), "0");
  EXPECT_EQ(canon("00012.3400"), "12.34");
  EXPECT_EQ(canon("-12.50"), "-12.5");
  EXPECT_EQ(canon("1."), "1");
  EXPECT_EQ(canon(".1"), "0.1");
  EXPECT_EQ(canon("+1"), "1");
  EXPECT_EQ(canon("+1.5E+3"), "1500");
  EXPECT_EQ(canon("1e3"), "1000");
  EXPECT_EQ(canon("123.456e-2"), "1.23456");
  EXPECT_EQ(canon("0.00100"), "0.001");
  EXPECT_EQ(canon("1000"), "1000");
  EXPECT_EQ(canon("1E+125"), "1" + std::string(125, '0'));
  EXPECT_EQ(canon("1e-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(canon("-1e-130"), "-0." + std::string(129, '0') + "1");
}

TEST(Decimal, Parts) {
  Decimal d = Decimal::parse("-12.3400");
  EXPECT_TRUE(d.negative());
  EXPECT_EQ(d.digits(), "1234");
  EXPECT_EQ(d.exponent(), 2);
  Decimal zero = Decimal::parse("-0.00");
  EXPECT_TRUE(zero.is_zero());
  EXPECT_FALSE(zero.negative());
  EXPECT_EQ(zero, Decimal());
  EXPECT_EQ(Decimal::parse("0.05").exponent(), -1);
}

TEST(Decimal, RejectsBadSyntax) {
  EXPECT_EQ(parse_error(""), kNotNumeric);
  for (const char* text : {" 1", "1 ", "1e", "e1", "--1", "+-1", "Infinity", "NaN", ".",
                           "-", "1.2.3", "1e+", "1e1.5", "0x10", "1_000", "١"}) {
    EXPECT_EQ(parse_error(text), std::string(kNotNumeric) + ": " + text) << text;
  }
}

TEST(Decimal, Range) {
  std::string max = "9.9999999999999999999999999999999999999E+125";
  EXPECT_EQ(parse_error(max), "");
  EXPECT_EQ(Decimal::parse(max).exponent(), Decimal::kMaxExponent);
  EXPECT_EQ(Decimal::parse("1e-130").exponent(), Decimal::kMinExponent);
  EXPECT_EQ(parse_error("1E126"), kOverflow);
  EXPECT_EQ(parse_error("-1e126"), kOverflow);
  EXPECT_EQ(parse_error("10E125"), kOverflow);
  EXPECT_EQ(parse_error("1e2147483647"), kOverflow);
  EXPECT_EQ(parse_error("1e99999999999999999999999"), kOverflow);
  EXPECT_EQ(parse_error("1e-131"), kUnderflow);
  EXPECT_EQ(parse_error("-0.1e-130"), kUnderflow);
  EXPECT_EQ(parse_error("1e-99999999999999999999999"), kUnderflow);
  // Zero is in range whatever its exponent.
  EXPECT_EQ(canon("0e-999"), "0");
}

TEST(Decimal, SignificantDigits) {
  std::string d38 = "12345678901234567890123456789012345678";
  std::string d39 = d38 + "9";
  EXPECT_EQ(canon(d38), d38);
  EXPECT_EQ(parse_error(d39), kTooManyDigits);
  EXPECT_EQ(parse_error("-1.23456789012345678901234567890123456789"), kTooManyDigits);
  // Zeros at either end are not significant.
  EXPECT_EQ(canon("000" + d38 + "000"), d38 + "000");
  EXPECT_EQ(canon("0.000" + d38), "0.000" + d38);
  // Range is reported before precision.
  EXPECT_EQ(parse_error(d39 + "e200"), kOverflow);
}

TEST(Decimal, Compare) {
  auto cmp = [](std::string_view a, std::string_view b) {
    return Decimal::parse(a).compare(Decimal::parse(b));
  };
  EXPECT_EQ(cmp("1", "1.0"), 0);
  EXPECT_EQ(cmp("-0", "0"), 0);
  EXPECT_LT(cmp("0.12", "0.123"), 0);
  EXPECT_GT(cmp("0.13", "0.123"), 0);
  EXPECT_LT(cmp("-0.123", "-0.12"), 0);
  EXPECT_LT(cmp("-1", "0"), 0);
  EXPECT_LT(cmp("0", "1e-130"), 0);
  EXPECT_LT(cmp("99", "100"), 0);
  EXPECT_GT(cmp("-99", "-100"), 0);
  EXPECT_LT(cmp("-1e125", "-1e-130"), 0);
  EXPECT_TRUE(Decimal::parse("2") < Decimal::parse("10"));
  EXPECT_EQ(Decimal::parse("1.50"), Decimal::parse("1.5"));
}

TEST(Decimal, Add) {
  EXPECT_EQ(sum("1", "2"), "3");
  EXPECT_EQ(sum("999", "1"), "1000");
  EXPECT_EQ(sum("9.99", "0.01"), "10");
  EXPECT_EQ(sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(sum("-5", "3"), "-2");
  EXPECT_EQ(sum("5", "-3"), "2");
  EXPECT_EQ(sum("1000", "-0.001"), "999.999");
  EXPECT_EQ(sum("1E+30", "-1E+30"), "0");
  EXPECT_EQ(sum("-0", "-7.5"), "-7.5");
  EXPECT_EQ(sum("1e125", "1e88"),
            "1" + std::string(36, '0') + "1" + std::string(88, '0'));
}

TEST(Decimal, AddLimits) {
  EXPECT_EQ(
      error_of([] { sum("9.9999999999999999999999999999999999999E+125", "1E+125"); }),
      kOverflow);
  EXPECT_EQ(
      error_of([] { sum("-9.9999999999999999999999999999999999999E+125", "-1E+125"); }),
      kOverflow);
  // Exact result with 41 significant digits.
  EXPECT_EQ(error_of([] { sum("1E+30", "1E-10"); }), kTooManyDigits);
  // 38 digits is fine, even when the operands span more before cancelling.
  EXPECT_EQ(sum("12345678901234567890123456789012345678", "1"),
            "12345678901234567890123456789012345679");
  EXPECT_EQ(sum("1.0000000000000000000000000000000000001",
                "-0.0000000000000000000000000000000000001"),
            "1");
  EXPECT_EQ(error_of([] { sum("99999999999999999999999999999999999999", "1"); }), "");
  EXPECT_EQ(error_of([] { sum("99999999999999999999999999999999999999", "0.1"); }),
            kTooManyDigits);
  // A difference may fall below the smallest magnitude.
  EXPECT_EQ(error_of([] { sum("1.1e-129", "-1e-129"); }), "");
  EXPECT_EQ(
      Decimal::subtract(Decimal::parse("1.1e-129"), Decimal::parse("1e-129")).to_string(),
      "0." + std::string(129, '0') + "1");
}

TEST(Decimal, Subtract) {
  auto diff = [](std::string_view a, std::string_view b) {
    return Decimal::subtract(Decimal::parse(a), Decimal::parse(b)).to_string();
  };
  EXPECT_EQ(diff("10", "0.5"), "9.5");
  EXPECT_EQ(diff("0.5", "10"), "-9.5");
  EXPECT_EQ(diff("-1", "-1"), "0");
  EXPECT_EQ(diff("0", "3"), "-3");
  EXPECT_EQ(diff("3", "0"), "3");
}

TEST(Decimal, FromParts) {
  EXPECT_EQ(Decimal::from_parts(true, 2, "1234"), Decimal::parse("-12.34"));
  EXPECT_EQ(Decimal::from_parts(false, 0, ""), Decimal());
  EXPECT_FALSE(Decimal::from_parts(true, 0, ""));
  EXPECT_FALSE(Decimal::from_parts(false, 1, ""));
  EXPECT_FALSE(Decimal::from_parts(false, 1, "10"));
  EXPECT_FALSE(Decimal::from_parts(false, 1, "01"));
  EXPECT_FALSE(Decimal::from_parts(false, 1, "1a"));
  EXPECT_FALSE(Decimal::from_parts(false, 127, "1"));
  EXPECT_FALSE(Decimal::from_parts(false, -130, "1"));
  EXPECT_FALSE(Decimal::from_parts(false, 1, std::string(39, '1')));
}

}  // namespace
}  // namespace jormun::model
