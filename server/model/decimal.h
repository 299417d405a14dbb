// An exact decimal number with DynamoDB's limits: at most 38 significant
// digits, magnitude 1E-130 .. 9.99..9E+125, or zero. Never a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jormun::model {

class Decimal {
 public:
  Decimal() = default;  // zero

  // Parses a DynamoDB number string ("-12.50", "1e3", ".5"). Throws
  // ApiError::validation with DynamoDB's message on bad syntax, more than 38
  // significant digits, overflow or underflow.
  static Decimal parse(std::string_view text);

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
  bool negative_ = false;
  int32_t exponent_ = 0;
  std::string digits_;
};

}  // namespace jormun::model
