#include "auth/verifier.h"

#include <boost/beast/core/string.hpp>
#include <optional>
#include <utility>

#include "auth/authorization.h"
#include "auth/crypto.h"
#include "auth/request_date.h"
#include "common/api_error.h"

namespace jormun::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kService = "dynamodb";
constexpr std::string_view kTerminator = "aws4_request";

ApiError invalid_signature(std::string message) {
  return {"InvalidSignatureException", std::move(message)};
}

ApiError incomplete_signature(std::string message) {
  return {"IncompleteSignatureException", std::move(message)};
}

std::string_view header(std::span<const HttpHeader> headers, std::string_view name) {
  for (const HttpHeader& h : headers)
    if (boost::beast::iequals(h.name, name)) return h.value;
  return {};
}

// The signed date: X-Amz-Date wins over Date, as in SigV4.
struct RequestDate {
  std::string amz;  // as it goes into the string to sign
  Clock::time_point time;
};

RequestDate request_date(std::span<const HttpHeader> headers) {
  if (std::string_view amz = header(headers, "X-Amz-Date"); !amz.empty()) {
    std::optional<Clock::time_point> t = parse_amz_date(amz);
    if (!t)
      throw incomplete_signature("Date must be in ISO-8601 'basic format'. Got '" +
                                 std::string(amz) +
                                 "'. See http://en.wikipedia.org/wiki/ISO_8601");
    return {std::string(amz), *t};
  }
  const std::string_view http = header(headers, "Date");
  std::optional<Clock::time_point> t = parse_http_date(http);
  if (!t)
    throw incomplete_signature("Date must be in ISO-8601 'basic format'. Got '" +
                               std::string(http) +
                               "'. See http://en.wikipedia.org/wiki/ISO_8601");
  return {format_amz_date(*t), *t};
}

// "<id>/<date>/<region>/<service>/<terminator>"; the id is what precedes the
// last four parts.
struct Credential {
  std::string_view key_id;
  Scope scope;
  std::string_view scope_text;  // everything after the id
};

std::optional<Credential> split_credential(std::string_view text) {
  std::string_view parts[4];
  std::string_view rest = text;
  for (int i = 3; i >= 0; --i) {
    const size_t slash = rest.rfind('/');
    if (slash == std::string_view::npos) return std::nullopt;
    parts[i] = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return Credential{
      rest, {parts[0], parts[1], parts[2], parts[3]}, text.substr(rest.size() + 1)};
}

void check_window(Clock::time_point signed_at, std::string_view amz,
                  Clock::time_point now) {
  const auto earliest = now - Verifier::kWindow;
  const auto latest = now + Verifier::kWindow;
  if (signed_at < earliest)
    throw invalid_signature("Signature expired: " + std::string(amz) +
                            " is now earlier than " + format_amz_date(earliest) + " (" +
                            format_amz_date(now) + " - 15 min.)");
  if (signed_at > latest)
    throw invalid_signature("Signature not yet current: " + std::string(amz) +
                            " is still later than " + format_amz_date(latest) + " (" +
                            format_amz_date(now) + " + 15 min.)");
}

}  // namespace

Verifier::Verifier(const config::AuthConfig& auth, std::string region)
    : auth_(auth), region_(std::move(region)) {}

const config::AccessKey& Verifier::verify(const SignedRequest& request,
                                          Clock::time_point now) const {
  const Authorization parts = parse_authorization(request.authorization);
  if (parts.algorithm != kAlgorithm)
    throw incomplete_signature("Unsupported AWS 'algorithm': '" +
                               std::string(parts.algorithm) + "'");
  const std::optional<Credential> credential = split_credential(parts.credential);
  if (!credential)
    throw incomplete_signature(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '" +
        std::string(parts.credential) + "'");
  const RequestDate date = request_date(request.headers);
  const Scope& scope = credential->scope;
  if (scope.date != std::string_view(date.amz).substr(0, 8))
    throw invalid_signature(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
        "from HTTP: '" +
        std::string(scope.date) + "' != '" + date.amz.substr(0, 8) + "', from '" +
        (header(request.headers, "X-Amz-Date").empty() ? "Date" : "X-Amz-Date") + "'.");
  if (scope.region != region_)
    throw invalid_signature("Credential should be scoped to a valid region, not '" +
                            std::string(scope.region) + "'. ");
  if (scope.service != kService)
    throw invalid_signature("Credential should be scoped to correct service: '" +
                            std::string(kService) + "'. ");
  if (scope.terminator != kTerminator)
    throw invalid_signature("Credential should be scoped with a valid terminator: '" +
                            std::string(kTerminator) + "', not '" +
                            std::string(scope.terminator) + "'. ");
  check_window(date.time, date.amz, now);
  const config::AccessKey* key = auth_.key(credential->key_id);
  if (key == nullptr)
    throw ApiError("UnrecognizedClientException",
                   "The security token included in the request is invalid.");
  // Chunked signing (each chunk signed in turn) is S3's; a whole DynamoDB
  // request is one JSON document, so it is refused rather than half-checked.
  if (header(request.headers, "X-Amz-Content-Sha256").starts_with("STREAMING-"))
    throw invalid_signature(
        "Chunked payload signing (x-amz-content-sha256: STREAMING-...) is not supported; "
        "sign the whole body.");
  const std::string canonical =
      canonical_request(request.method, request.target, request.headers,
                        parts.signed_headers, request.payload_hash);
  const std::string to_sign = string_to_sign(date.amz, credential->scope_text, canonical);
  if (!equal_in_constant_time(signature(key->secret, scope, to_sign), parts.signature))
    throw invalid_signature(
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service "
        "documentation for details.\n\nThe Canonical String for this request should have "
        "been\n'" +
        canonical + "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n");
  return *key;
}

}  // namespace jormun::auth
