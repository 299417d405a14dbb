#include "config/exposure.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <cctype>

namespace jormun::config {

bool is_loopback(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return boost::beast::iequals(host, "localhost") || host == "::1" ||
         host == "0:0:0:0:0:0:0:1" ||
         (host.starts_with("127.") &&
          host.find_first_not_of("0123456789.") == std::string_view::npos);
}

void check_exposure(const std::string& host, const AuthConfig& auth) {
  if (is_loopback(host) || auth.mode != AuthMode::kNone || auth.allow_unauthenticated)
    return;
  throw ConfigError("server.host: " + host +
                    " is not a loopback address and auth.mode is none, so anyone who "
                    "can reach the port could read and change every table; set "
                    "auth.mode: sigv4 with keys, or auth.allow_unauthenticated: true if "
                    "that is meant");
}

bool is_host_name(std::string_view name) {
  if (name.starts_with('[')) {
    if (name.size() < 3 || !name.ends_with(']')) return false;
    std::string_view address = name.substr(1, name.size() - 2);
    return address.find(':') != std::string_view::npos &&
           address.find_first_not_of("0123456789abcdefABCDEF:.") ==
               std::string_view::npos;
  }
  // RFC 1035's limits: 63 bytes a label, 253 in all.
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char ch : name) {
    if (ch == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

bool is_cors_origin(std::string_view origin) {
  if (origin == "*" || origin == "null") return true;
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view scheme = origin.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  std::string_view host = origin.substr(scheme_end + 3);
  // The port follows the last colon outside an IPv6 address's brackets.
  const size_t colon = host.rfind(':');
  if (colon != std::string_view::npos &&
      host.find(']', colon) == std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port != "*") {
      if (port.empty() || port.size() > 5 ||
          port.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoul(std::string(port)) > 65535)
        return false;
    }
  }
  return is_host_name(host);
}

bool names_this_server(std::string_view host_header, const Config& config) {
  if (host_header.empty()) return true;
  std::string_view name = host_header;
  if (name.starts_with('[')) {
    // Unclosed, it is all name, and no name of ours.
    if (size_t close = name.find(']'); close != std::string_view::npos)
      name = name.substr(0, close + 1);
  } else if (size_t colon = name.find(':');
             colon != std::string_view::npos &&
             name.find(':', colon + 1) == std::string_view::npos) {
    name = name.substr(0, colon);
  }
  return is_loopback(name) || boost::beast::iequals(name, config.host) ||
         std::ranges::any_of(config.allowed_hosts, [name](const std::string& allowed) {
           return boost::beast::iequals(name, allowed);
         });
}

}  // namespace jormun::config
