#include "auth/authorization.h"

namespace jormun::auth {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Authorization parse_authorization(std::string_view header) {
  Authorization out;
  std::string_view trimmed = trim(header);
  const size_t space = trimmed.find(' ');
  out.algorithm = trimmed.substr(0, space);
  std::string_view rest =
      space == std::string_view::npos ? "" : trimmed.substr(space + 1);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = part.substr(0, eq);
    const std::string_view value = part.substr(eq + 1);
    if (name == "Credential") out.credential = value;
    if (name == "SignedHeaders") out.signed_headers = value;
    if (name == "Signature") out.signature = value;
  }
  return out;
}

}  // namespace jormun::auth
