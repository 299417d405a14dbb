#include "api/signature_header.h"

#include <array>
#include <string>

#include "common/api_error.h"

namespace jormun::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

void check_signature_header(std::string_view auth, bool has_date) {
  std::string_view trimmed = trim(auth);
  if (trimmed.substr(0, 5) != "AWS4-")
    throw ApiError("MissingAuthenticationTokenException",
                   "Request is missing Authentication Token");
  // "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
  // The three names DynamoDB requires, each present with a value; a later
  // repetition of a name overrides an earlier one.
  constexpr std::array<std::string_view, 3> kRequired{"Credential", "Signature",
                                                      "SignedHeaders"};
  std::array<bool, 3> present{};
  size_t space = trimmed.find(' ');
  std::string_view rest =
      space == std::string_view::npos ? "" : trimmed.substr(space + 1);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    for (size_t i = 0; i < kRequired.size(); ++i) {
      if (part.substr(0, eq) == kRequired[i]) present[i] = eq + 1 < part.size();
    }
  }
  std::string msg;
  for (size_t i = 0; i < kRequired.size(); ++i) {
    if (!present[i])
      msg +=
          "Authorization header requires '" + std::string(kRequired[i]) + "' parameter. ";
  }
  if (!has_date)
    msg +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
        "header. ";
  if (!msg.empty())
    throw ApiError("IncompleteSignatureException",
                   msg + "Authorization=" + std::string(auth));
}

}  // namespace jormun::api
