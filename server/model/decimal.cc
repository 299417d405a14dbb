#include "model/decimal.h"

#include <algorithm>

#include "common/api_error.h"

namespace jormun::model {
namespace {

// DynamoDB's messages, as dynalite (which mirrors them) and real-DynamoDB
// captures show them.
constexpr char kNotNumeric[] = "The parameter cannot be converted to a numeric value";
constexpr char kTooManyDigits[] =
    "Attempting to store more than 38 significant digits in a Number";
constexpr char kOverflow[] =
    "Number overflow. Attempting to store a number with magnitude larger than "
    "supported range";
constexpr char kUnderflow[] =
    "Number underflow. Attempting to store a number with magnitude smaller than "
    "supported range";

// An exponent beyond this is out of range whatever the digits are, so
// parsing saturates here instead of overflowing int64.
constexpr int64_t kExponentClamp = int64_t{1} << 40;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// DynamoDB reports magnitude before precision.
const char* range_error(int64_t exponent, size_t digit_count) {
  if (exponent > Decimal::kMaxExponent) return kOverflow;
  if (exponent < Decimal::kMinExponent) return kUnderflow;
  if (digit_count > Decimal::kMaxDigits) return kTooManyDigits;
  return nullptr;
}

Decimal negated(const Decimal& d) {
  if (d.is_zero()) return d;
  return *Decimal::from_parts(!d.negative(), d.exponent(), d.digits());
}

// Adds or subtracts two equal-length digit strings; for subtraction
// `a` must not be smaller than `b`.
std::string add_digits(const std::string& a, const std::string& b) {
  std::string out(a.size(), '0');
  int carry = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int s = (a[i] - '0') + (b[i] - '0') + carry;
    out[i] = static_cast<char>('0' + s % 10);
    carry = s / 10;
  }
  return out;
}

std::string subtract_digits(const std::string& a, const std::string& b) {
  std::string out(a.size(), '0');
  int borrow = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int s = (a[i] - '0') - (b[i] - '0') - borrow;
    borrow = s < 0;
    out[i] = static_cast<char>('0' + s + 10 * borrow);
  }
  return out;
}

}  // namespace

Decimal Decimal::normalized(bool negative, int64_t exponent, std::string digits) {
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal();
  size_t last = digits.find_last_not_of('0');
  digits = digits.substr(first, last - first + 1);
  exponent -= static_cast<int64_t>(first);
  if (const char* error = range_error(exponent, digits.size())) {
    throw ApiError::validation(error);
  }
  Decimal d;
  d.negative_ = negative;
  d.exponent_ = static_cast<int32_t>(exponent);
  d.digits_ = std::move(digits);
  return d;
}

Decimal Decimal::parse(std::string_view text) {
  if (text.empty()) throw ApiError::validation(kNotNumeric);
  auto bad = [&] {
    return ApiError::validation(std::string(kNotNumeric) + ": " + std::string(text));
  };
  size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    ++i;
  }
  std::string digits;
  int64_t integer_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    if (is_digit(text[i])) {
      digits.push_back(text[i]);
      if (!seen_point) ++integer_digits;
    } else if (text[i] == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (digits.empty()) throw bad();
  int64_t exponent = 0;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') throw bad();
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    if (i == text.size()) throw bad();
    for (; i < text.size(); ++i) {
      if (!is_digit(text[i])) throw bad();
      exponent = std::min(exponent * 10 + (text[i] - '0'), kExponentClamp);
    }
    if (exponent_negative) exponent = -exponent;
  }
  return normalized(negative, integer_digits + exponent, std::move(digits));
}

std::optional<Decimal> Decimal::from_parts(bool negative, int32_t exponent,
                                           std::string digits) {
  if (digits.empty()) {
    if (negative || exponent != 0) return std::nullopt;
    return Decimal();
  }
  if (!std::all_of(digits.begin(), digits.end(), is_digit) || digits.front() == '0' ||
      digits.back() == '0' || range_error(exponent, digits.size()) != nullptr) {
    return std::nullopt;
  }
  Decimal d;
  d.negative_ = negative;
  d.exponent_ = exponent;
  d.digits_ = std::move(digits);
  return d;
}

Decimal Decimal::add(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  // Both as integer coefficients on a common scale: value = C * 10^low.
  int64_t a_low = a.exponent_ - static_cast<int64_t>(a.digits_.size());
  int64_t b_low = b.exponent_ - static_cast<int64_t>(b.digits_.size());
  int64_t low = std::min(a_low, b_low);
  std::string ca = a.digits_ + std::string(a_low - low, '0');
  std::string cb = b.digits_ + std::string(b_low - low, '0');
  // One spare leading digit takes the carry.
  size_t width = std::max(ca.size(), cb.size()) + 1;
  ca.insert(0, width - ca.size(), '0');
  cb.insert(0, width - cb.size(), '0');
  auto exponent = low + static_cast<int64_t>(width);
  if (a.negative_ == b.negative_) {
    return normalized(a.negative_, exponent, add_digits(ca, cb));
  }
  // Equal-length digit strings compare numerically as text.
  if (ca >= cb) return normalized(a.negative_, exponent, subtract_digits(ca, cb));
  return normalized(b.negative_, exponent, subtract_digits(cb, ca));
}

Decimal Decimal::subtract(const Decimal& a, const Decimal& b) {
  return add(a, negated(b));
}

std::string Decimal::to_string() const {
  if (is_zero()) return "0";
  std::string out = negative_ ? "-" : "";
  auto size = static_cast<int32_t>(digits_.size());
  if (exponent_ <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent_), '0');
    out += digits_;
  } else if (exponent_ >= size) {
    out += digits_;
    out.append(static_cast<size_t>(exponent_ - size), '0');
  } else {
    out.append(digits_, 0, exponent_);
    out += '.';
    out.append(digits_, exponent_);
  }
  return out;
}

int Decimal::compare_magnitude(const Decimal& other) const {
  if (exponent_ != other.exponent_) return exponent_ < other.exponent_ ? -1 : 1;
  // Without trailing zeros, text order of the digits is numeric order.
  int c = digits_.compare(other.digits_);
  return (c > 0) - (c < 0);
}

int Decimal::compare(const Decimal& other) const {
  if (sign() != other.sign()) return sign() < other.sign() ? -1 : 1;
  int m = compare_magnitude(other);
  return negative_ ? -m : m;
}

}  // namespace jormun::model
