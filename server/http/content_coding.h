// The HTTP content codings the server reads and writes (RFC 9110, 8.4.1), with
// zlib: gzip (RFC 1952) and deflate (the zlib format of RFC 1950; raw RFC 1951
// data, which some clients send as "deflate", is read too).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::http {

enum class Coding {
  kIdentity,
  kGzip,
  kDeflate,
};

// The token naming `coding` in Content-Encoding ("identity", "gzip", "deflate").
std::string_view coding_name(Coding coding);

// The coding a request's Content-Encoding value names: empty or "identity",
// "gzip" or "deflate", in any case and with surrounding blanks; nullopt for
// anything else (another coding, or a list of several).
std::optional<Coding> parse_content_encoding(std::string_view value);

enum class DecodeStatus {
  kOk,
  kTooLarge,  // the decoded body would exceed the caller's cap
  kCorrupt,   // not in the coding, truncated, bad checksum or trailing garbage
};

// Decodes `in` into `out`. gzip may hold several concatenated members, as
// RFC 1952 allows; deflate is one stream (DynamoDB refuses two concatenated
// ones), in the zlib format or, when `in` does not start with a zlib header,
// raw. Stops with kTooLarge as soon as more than `max_out` bytes would be
// produced, so a small "decompression bomb" costs at most `max_out` bytes of
// memory. REQUIRES: not kIdentity.
DecodeStatus decode_body(Coding coding, std::string_view in, std::size_t max_out,
                         std::string& out);

// Encodes `in` as one gzip member or one zlib stream. REQUIRES: not kIdentity.
std::string encode_body(Coding coding, std::string_view in);

}  // namespace jormun::http
