#include "request_head.h"

#include <charconv>

namespace jormun::bench {

namespace {
// The server wants a SigV4-shaped Authorization header; it checks its form,
// not the signature, so one fixed header serves every call.
constexpr std::string_view kFixedHeaders =
    "Content-Type: application/x-amz-json-1.0\r\n"
    "X-Amz-Date: 20260101T000000Z\r\n"
    "Authorization: AWS4-HMAC-SHA256 "
    "Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00\r\n";
}  // namespace

void append_request_head(std::string& out, std::string_view host, std::string_view target,
                         size_t body_size) {
  out += "POST / HTTP/1.1\r\nHost: ";
  out += host;
  out += "\r\nX-Amz-Target: ";
  out += target;
  out += "\r\n";
  out += kFixedHeaders;
  out += "Content-Length: ";
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, body_size).ptr);
  out += "\r\n\r\n";
}

}  // namespace jormun::bench
