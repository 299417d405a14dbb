// Who can reach the server: the start-up refusal to serve a network
// without verified signatures, and the loopback test the Host check uses.
#pragma once

#include <string>
#include <string_view>

#include "config/auth_config.h"

namespace jormun::config {

// "localhost" (in any case) or a literal loopback address (127.0.0.0/8, ::1), with or
// without IPv6 brackets.
bool is_loopback(std::string_view host);

// Throws ConfigError for a `host` that is not loopback with auth.mode none,
// unless auth.allow_unauthenticated says it is meant: anyone who reaches the
// port could otherwise read and change every table.
void check_exposure(const std::string& host, const AuthConfig& auth);

}  // namespace jormun::config
