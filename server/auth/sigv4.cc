#include "auth/sigv4.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <utility>
#include <vector>

#include "auth/crypto.h"

namespace jormun::auth {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == '~';
}

void uri_encode(std::string_view in, bool keep_slash, std::string& out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (unsigned char c : in) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; a '%' not followed by two hex digits stays as it is.
std::string uri_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    int hi = -1;
    int lo = -1;
    if (in[i] == '%' && i + 2 < in.size()) {
      hi = hex_value(in[i + 1]);
      lo = hex_value(in[i + 2]);
    }
    if (hi >= 0 && lo >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (param.empty()) continue;
    size_t eq = param.find('=');
    std::string name;
    std::string value;
    uri_encode(uri_decode(param.substr(0, eq)), false, name);
    if (eq != std::string_view::npos)
      uri_encode(uri_decode(param.substr(eq + 1)), false, value);
    params.emplace_back(std::move(name), std::move(value));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

// Appends `value` trimmed, with each inner run of spaces or tabs as one space.
void append_trimmed(std::string_view value, std::string& out) {
  bool pending_space = false;
  bool started = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = started;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    started = true;
    out += c;
  }
}

}  // namespace

std::string payload_hash(std::string_view payload) { return hex(sha256(payload)); }

std::string canonical_request(std::string_view method, std::string_view target,
                              std::span<const HttpHeader> headers,
                              std::string_view signed_headers,
                              std::string_view payload_hash) {
  const size_t question = target.find('?');
  std::string out(method);
  out += '\n';
  uri_encode(target.substr(0, question), true, out);
  out += '\n';
  if (question != std::string_view::npos)
    out += canonical_query(target.substr(question + 1));
  out += '\n';
  std::string_view names = signed_headers;
  while (!names.empty()) {
    size_t semi = names.find(';');
    std::string_view name = names.substr(0, semi);
    names = semi == std::string_view::npos ? "" : names.substr(semi + 1);
    out += name;
    out += ':';
    bool first = true;
    for (const HttpHeader& h : headers) {
      if (!boost::beast::iequals(h.name, name)) continue;
      if (!first) out += ',';
      first = false;
      append_trimmed(h.value, out);
    }
    out += '\n';
  }
  out += '\n';
  out += signed_headers;
  out += '\n';
  out += payload_hash;
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += hex(sha256(canonical_request));
  return out;
}

std::string signature(std::string_view secret, const Scope& scope,
                      std::string_view string_to_sign) {
  auto as_view = [](const Digest& d) {
    return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
  };
  const std::string first_key = "AWS4" + std::string(secret);
  const Digest date_key = hmac_sha256(first_key, scope.date);
  const Digest region_key = hmac_sha256(as_view(date_key), scope.region);
  const Digest service_key = hmac_sha256(as_view(region_key), scope.service);
  const Digest signing_key = hmac_sha256(as_view(service_key), scope.terminator);
  return hex(hmac_sha256(as_view(signing_key), string_to_sign));
}

}  // namespace jormun::auth
