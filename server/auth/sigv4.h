// AWS Signature Version 4: the canonical request, the string to sign and the
// signature, as the AWS SDKs compute them for a service other than S3.
// Pure functions of their arguments, so the AWS test-suite vectors check them.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace jormun::auth {

struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

// The parts of a credential scope: "<date>/<region>/<service>/aws4_request".
struct Scope {
  std::string_view date;  // YYYYMMDD
  std::string_view region;
  std::string_view service;
  std::string_view terminator;  // "aws4_request"
};

// SHA-256 of `payload` in lower-case hex: the canonical request's last line.
std::string payload_hash(std::string_view payload);

// `target` is the request target as received (path, then "?query" if any).
// `headers` are all the request's headers; the ones named in
// `signed_headers` (lower-case, ';'-separated, in the client's order) are
// canonicalised: values of a repeated header joined by ',', each trimmed and
// its inner runs of spaces collapsed. The path is URI-encoded as received
// (so an encoded path is encoded twice, as non-S3 signers do); query
// parameters are decoded, re-encoded and sorted.
std::string canonical_request(std::string_view method, std::string_view target,
                              std::span<const HttpHeader> headers,
                              std::string_view signed_headers,
                              std::string_view payload_hash);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical_request>".
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

// Hex HMAC of `string_to_sign` under the key derived from `secret` and the
// scope.
std::string signature(std::string_view secret, const Scope& scope,
                      std::string_view string_to_sign);

}  // namespace jormun::auth
