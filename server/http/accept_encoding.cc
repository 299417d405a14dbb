#include "http/accept_encoding.h"

#include <array>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <charconv>

namespace jormun::http {
namespace {

constexpr std::string_view kBlanks = " \t";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlanks) + 1 - first);
}

// RFC 9110, 5.6.2: tchar.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool alnum =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

// The q of one entry's parameters ("q=0.5;x=y"), clamped to [0, 1]; 1 when
// there is none or it is not a number, which is what DynamoDB does with
// "q=0.x" and "q=31". Only the first q counts.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const std::string_view param = params.substr(0, semi);
    params =
        semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    const auto eq = param.find('=');
    if (eq == std::string_view::npos ||
        !boost::beast::iequals(trim(param.substr(0, eq)), "q"))
      continue;
    const std::string_view text = trim(param.substr(eq + 1));
    double q = 1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), q);
    if (ec != std::errc() || end != text.data() + text.size()) return 1;
    return q < 0 ? 0 : (q > 1 ? 1 : q);
  }
  return 1;
}

// What the header says of one coding: its best q, and where.
struct Offer {
  bool named = false;
  double q = 0;
  std::size_t position = 0;
};

// Ranks offers: higher q, then named over "*", then earlier.
bool better(const Offer& a, const Offer& b) {
  if (a.q != b.q) return a.q > b.q;
  if (a.named != b.named) return a.named;
  return a.position < b.position;
}

}  // namespace

Coding choose_coding(std::string_view accept_encoding) {
  // Index 0 gzip, 1 deflate: the order also breaks the last ties.
  constexpr std::array<Coding, 2> kCodings{Coding::kGzip, Coding::kDeflate};
  std::array<Offer, 2> offers{};
  Offer any;  // "*"
  bool any_seen = false;
  std::size_t position = 0;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const std::string_view entry = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view{}
                                                      : accept_encoding.substr(comma + 1);
    const auto semi = entry.find(';');
    const std::string_view name = trim(entry.substr(0, semi));
    if (!is_token(name)) continue;
    const double q = semi == std::string_view::npos ? 1 : q_value(entry.substr(semi + 1));
    const Offer offer{true, q, position++};
    if (name == "*") {
      if (!any_seen || q > any.q) any = Offer{false, q, offer.position};
      any_seen = true;
      continue;
    }
    for (std::size_t i = 0; i < kCodings.size(); ++i) {
      if (!boost::beast::iequals(name, coding_name(kCodings[i]))) continue;
      // "gzip;q=0, gzip;q=1" accepts gzip: the best entry counts.
      if (!offers[i].named || q > offers[i].q) offers[i] = offer;
    }
  }
  for (Offer& offer : offers) {
    if (!offer.named && any_seen) offer = any;
  }
  std::size_t best = 0;
  if (better(offers[1], offers[0])) best = 1;
  return offers[best].q > 0 ? kCodings[best] : Coding::kIdentity;
}

Coding choose_coding(const boost::beast::http::fields& headers) {
  std::string_view last;
  const auto [first, end] =
      headers.equal_range(boost::beast::http::field::accept_encoding);
  for (auto it = first; it != end; ++it) last = it->value();
  return choose_coding(last);
}

}  // namespace jormun::http
