#include "config/exposure.h"

#include <boost/beast/core/string.hpp>

#include "config/config.h"

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

}  // namespace jormun::config
