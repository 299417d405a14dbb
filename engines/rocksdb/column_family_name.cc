#include "column_family_name.h"

namespace jormun::rocks {
namespace {

constexpr std::string_view kPrefix = "ks_";
constexpr char kHex[] = "0123456789ABCDEF";

bool is_plain(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string column_family_for(std::string_view keyspace) {
  std::string out(kPrefix);
  for (unsigned char c : keyspace) {
    if (is_plain(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::optional<std::string> keyspace_for(std::string_view column_family) {
  if (!column_family.starts_with(kPrefix)) return std::nullopt;
  std::string out;
  for (size_t i = kPrefix.size(); i < column_family.size(); ++i) {
    char c = column_family[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= column_family.size()) return std::nullopt;
    int hi = hex_value(column_family[i + 1]);
    int lo = hex_value(column_family[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace jormun::rocks
