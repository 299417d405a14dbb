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

}  // namespace
}  // namespace jormun::config
