#include "api/signature_header.h"

#include <map>
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
  std::map<std::string, std::string, std::less<>> params;
  size_t space = trimmed.find(' ');
  std::string_view rest = space == std::string_view::npos ? "" : trimmed.substr(space + 1);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos)
      params[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
  }
  std::string msg;
  for (const char* name : {"Credential", "Signature", "SignedHeaders"}) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty())
      msg += std::string("Authorization header requires '") + name + "' parameter. ";
  }
  if (!has_date)
    msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
           "header. ";
  if (!msg.empty())
    throw ApiError("IncompleteSignatureException", msg + "Authorization=" + std::string(auth));
}

}  // namespace jormun::api
