// An exact decimal number with DynamoDB's limits: at most 38 significant
// digits, magnitude 1E-130 .. 9.99..9E+125, or zero. Never a double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::model {

class Decimal {
 public:
  Decimal() = default;  // zero

  // Largest and smallest exponent() a nonzero value may have:
  // 9.99..9E+125 is 0.99..9E+126 and 1E-130 is 0.1E-129.
  static constexpr int32_t kMaxExponent = 126;
  static constexpr int32_t kMinExponent = -129;
  static constexpr size_t kMaxDigits = 38;

  // Parses a DynamoDB number string ("-12.50", "+1e3", ".5", "1."): the syntax
  // of Java's BigDecimal, which DynamoDB uses; no spaces, no NaN/Infinity.
  // Throws ApiError::validation with DynamoDB's message on bad syntax, more
  // than 38 significant digits, overflow or underflow (range errors win over
  // the digit count, as in DynamoDB).
  static Decimal parse(std::string_view text);

  // Rebuilds a value from its parts (as the item codec stores them); nullopt
  // unless `digits` is canonical (see digits()) and the value is in range.
  // Zero is (false, 0, "").
  static std::optional<Decimal> from_parts(bool negative, int32_t exponent,
                                           std::string digits);

  // Exact sum / difference; throws ApiError::validation (DynamoDB's overflow,
  // underflow or precision message) when the result is out of range.
  static Decimal add(const Decimal& a, const Decimal& b);
  static Decimal subtract(const Decimal& a, const Decimal& b);

  // The canonical text DynamoDB returns: no exponent notation, no leading or
  // trailing zeros, "-" only for negatives, "0" for zero.
  std::string to_string() const;

  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  // Significant digits, '1'..'9' first and last, no trailing zeros; empty for 0.
  const std::string& digits() const { return digits_; }
  // Value = 0.d1d2...dn * 10^exponent (with sign); 0 for zero.
  int32_t exponent() const { return exponent_; }

  // Numeric three-way comparison: <0, 0, >0.
  int compare(const Decimal& other) const;
  bool operator==(const Decimal& o) const = default;  // canonical form: exact
  bool operator<(const Decimal& o) const { return compare(o) < 0; }

 private:
  // The canonical value of sign * 0.`digits` * 10^exponent, where `digits`
  // may carry leading and trailing zeros. Throws ApiError::validation when
  // the value is out of DynamoDB's range or precision.
  static Decimal normalized(bool negative, int64_t exponent, std::string digits);
  int sign() const { return is_zero() ? 0 : (negative_ ? -1 : 1); }
  int compare_magnitude(const Decimal& other) const;

  bool negative_ = false;
  int32_t exponent_ = 0;
  std::string digits_;
};

}  // namespace jormun::model
