// Who can reach the server: the start-up refusal to serve a network
// without verified signatures, and the names the Host check accepts.
#pragma once

#include <string>
#include <string_view>

#include "config/auth_config.h"
#include "config/config.h"

namespace jormun::config {

// "localhost" (in any case) or a literal loopback address (127.0.0.0/8, ::1), with or
// without IPv6 brackets.
bool is_loopback(std::string_view host);

// Throws ConfigError for a `host` that is not loopback with auth.mode none,
// unless auth.allow_unauthenticated says it is meant: anyone who reaches the
// port could otherwise read and change every table.
void check_exposure(const std::string& host, const AuthConfig& auth);

// Whether `name` can be an entry of server.allowed_hosts: a host name (dot-
// separated labels of letters, digits, '-' and '_', as docker-compose service
// names have) or an IPv4 address, or an IPv6 address in brackets; never a
// port, scheme or path, which a Host header's name cannot match.
bool is_host_name(std::string_view name);

// Whether `origin` can be an entry of server.cors_origins: "*", "null", or
// "http://" or "https://" then a host name as above, then optionally ":PORT"
// or ":*" (any port); never a path or trailing slash, which a browser's
// Origin header never has.
bool is_cors_origin(std::string_view origin);

// Whether `host_header` (a Host header's value, with or without a port) names
// this server: localhost, a loopback address, config.host or one of
// config.allowed_hosts, in any case. An empty one does (HTTP/1.0 has none).
bool names_this_server(std::string_view host_header, const Config& config);

}  // namespace jormun::config
