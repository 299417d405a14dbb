// gzip coding of HTTP bodies (RFC 1952) with zlib.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jormun::http {

enum class GunzipStatus {
  kOk,
  kTooLarge,  // the decoded body would exceed the caller's cap
  kCorrupt,   // not gzip, truncated, bad checksum or trailing garbage
};

// Inflates `in`, which may hold several concatenated gzip members as RFC 1952
// allows, into `out`. Stops with kTooLarge as soon as more than `max_out`
// bytes would be produced, so a small "decompression bomb" costs at most
// `max_out` bytes of memory.
GunzipStatus gunzip(std::string_view in, std::size_t max_out, std::string& out);

// Compresses `in` as one gzip member.
std::string gzip(std::string_view in);

}  // namespace jormun::http
