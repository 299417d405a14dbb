#include "auth/signer.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>

namespace jormun::auth {

std::vector<std::pair<std::string, std::string>> sign_request(
    std::string_view method, std::string_view target, std::span<const HttpHeader> headers,
    std::string_view body, const Credentials& credentials, std::string_view region,
    std::string_view service, Clock::time_point now) {
  const std::string amz_date = format_amz_date(now);
  std::vector<std::pair<std::string, std::string>> added{{"X-Amz-Date", amz_date}};
  if (!credentials.session_token.empty())
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);

  std::vector<HttpHeader> all(headers.begin(), headers.end());
  for (const auto& [name, value] : added) all.push_back({name, value});
  // Signed header names are lower-case and sorted, as the SDKs send them.
  std::vector<std::string> names;
  for (const auto& h : all) {
    std::string lower(h.name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names.push_back(std::move(lower));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string signed_headers;
  for (const auto& n : names) {
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += n;
  }

  const std::string date = amz_date.substr(0, 8);
  const Scope scope{date, region, service, "aws4_request"};
  const std::string scope_text =
      date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  const std::string canonical =
      canonical_request(method, target, all, signed_headers, payload_hash(body));
  const std::string to_sign = string_to_sign(amz_date, scope_text, canonical);
  added.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key +
                                          "/" + scope_text + ", SignedHeaders=" +
                                          signed_headers + ", Signature=" +
                                          signature(credentials.secret_key, scope, to_sign));
  return added;
}

}  // namespace jormun::auth
