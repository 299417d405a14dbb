#include "api/key_rates.h"

#include <gtest/gtest.h>

#include <chrono>

namespace jormun::api {
namespace {

using std::chrono::milliseconds;

config::AuthConfig two_keys() {
  config::AuthConfig auth;
  auth.keys.resize(2);
  auth.keys[0].id = "slow";
  auth.keys[0].max_requests_per_second = 4;
  auth.keys[1].id = "free";
  return auth;
}

int admitted(KeyRates& rates, const config::AccessKey& key, KeyRates::Clock::time_point at,
             int tries) {
  int n = 0;
  for (int i = 0; i < tries; ++i) n += rates.admit(key, at) ? 1 : 0;
  return n;
}

TEST(KeyRates, ABucketStartsFullAndRefillsAtTheRate) {
  const config::AuthConfig auth = two_keys();
  KeyRates rates(auth);
  const auto t0 = KeyRates::Clock::now();
  EXPECT_EQ(admitted(rates, auth.keys[0], t0, 10), 4);
  // A quarter second refills one token at 4 a second.
  EXPECT_EQ(admitted(rates, auth.keys[0], t0 + milliseconds(250), 10), 1);
  // A long pause refills no more than the bucket holds.
  EXPECT_EQ(admitted(rates, auth.keys[0], t0 + milliseconds(60000), 10), 4);
}

TEST(KeyRates, AKeyWithoutARateAlwaysPasses) {
  const config::AuthConfig auth = two_keys();
  KeyRates rates(auth);
  EXPECT_EQ(admitted(rates, auth.keys[1], KeyRates::Clock::now(), 1000), 1000);
}

}  // namespace
}  // namespace jormun::api
