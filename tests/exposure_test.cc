#include "config/exposure.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace jormun::config {
namespace {

TEST(Exposure, LoopbackNames) {
  for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"})
    EXPECT_TRUE(is_loopback(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "example.com", "127.example.com"})
    EXPECT_FALSE(is_loopback(host)) << host;
}

TEST(Exposure, NonLoopbackWithoutAuthIsRefusedUnlessAllowed) {
  AuthConfig auth;
  EXPECT_NO_THROW(check_exposure("127.0.0.1", auth));
  EXPECT_THROW(check_exposure("0.0.0.0", auth), ConfigError);
  EXPECT_THROW(check_exposure("192.168.1.5", auth), ConfigError);
  auth.allow_unauthenticated = true;
  EXPECT_NO_THROW(check_exposure("0.0.0.0", auth));
  auth.allow_unauthenticated = false;
  auth.mode = AuthMode::kSigV4;
  EXPECT_NO_THROW(check_exposure("0.0.0.0", auth));
}

TEST(Exposure, HostHeaderNamesThisServer) {
  Config c;
  c.host = "127.0.0.2";
  c.allowed_hosts = {"jormun", "DB.Internal", "[fd00::7]"};
  for (const char* host :
       {"", "localhost", "LOCALHOST:8002", "127.0.0.1:1", "[::1]:8002", "127.0.0.2",
        "jormun", "Jormun:8002", "db.internal:80", "[FD00::7]:8443"})
    EXPECT_TRUE(names_this_server(host, c)) << host;
  for (const char* host :
       {"evil.example", "evil.example:8002", "jormun.evil.example", "jormunx", "internal",
        "[fd00::8]", "db.internal.:80", "[evil", ":8002"})
    EXPECT_FALSE(names_this_server(host, c)) << host;
}

}  // namespace
}  // namespace jormun::config
