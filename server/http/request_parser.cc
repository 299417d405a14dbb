#include "http/request_parser.h"

#include <cstdint>

namespace jormun::http {
namespace {

// Generous for SigV4 Authorization and X-Amz-* headers, small enough that
// header floods cost little.
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

}  // namespace

void reset_request_parser(std::optional<RequestParser>& parser, std::size_t max_body_bytes) {
  parser.emplace();
  parser->header_limit(kHeaderLimit);
  parser->body_limit(max_body_bytes);
}

}  // namespace jormun::http
