#include "config/auth_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace jormun::config {
namespace {

const char* no_env(const char*) { return nullptr; }
const char* test_env(const char* name) {
  return std::string(name) == "JORMUN_TEST_SECRET" ? "from-env" : nullptr;
}

AuthConfig parse(const std::string& yaml, const char* (*lookup)(const char*) = no_env) {
  return parse_auth(YAML::Load(yaml), "test.yaml", lookup);
}

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AuthConfig, DefaultIsModeNoneWithoutKeys) {
  Config c = parse_config("engines: {r: {plugin: rocksdb}}\ntables: {default: r}\n", "t");
  EXPECT_EQ(c.auth.mode, AuthMode::kNone);
  EXPECT_FALSE(c.auth.allow_unauthenticated);
  EXPECT_TRUE(c.auth.keys.empty());
}

TEST(AuthConfig, SecretsComeFromTheFileTheFileOrTheEnvironment) {
  const std::string path = ::testing::TempDir() + "/jormun_secret";
  std::ofstream(path) << "from-file\n";
  AuthConfig a = parse(R"(
mode: sigv4
keys:
  - {access_key_id: a, secret: inline}
  - {access_key_id: b, secret_file: )" +
                           path + R"(}
  - {access_key_id: c, secret_env: JORMUN_TEST_SECRET}
)",
                       test_env);
  std::remove(path.c_str());
  EXPECT_EQ(a.mode, AuthMode::kSigV4);
  ASSERT_EQ(a.keys.size(), 3u);
  EXPECT_EQ(a.key("a")->secret, "inline");
  EXPECT_EQ(a.key("b")->secret, "from-file");
  EXPECT_EQ(a.key("c")->secret, "from-env");
  EXPECT_EQ(a.key("d"), nullptr);
}

TEST(AuthConfig, MistakesNameTheKeyAndNeverTheSecret) {
  EXPECT_EQ(error_of("mode: strict"),
            "test.yaml: auth.mode: must be none or sigv4, got 'strict'");
  EXPECT_EQ(error_of("mode: sigv4"),
            "test.yaml: auth.keys: mode sigv4 needs at least one key");
  EXPECT_EQ(error_of("keys: [{access_key_id: a}]"),
            "test.yaml: auth.keys[0]: needs exactly one of 'secret', 'secret_file' or "
            "'secret_env'");
  EXPECT_EQ(error_of("keys: [{access_key_id: a, secret: s3cret, secret_env: X}]"),
            "test.yaml: auth.keys[0]: needs exactly one of 'secret', 'secret_file' or "
            "'secret_env'");
  EXPECT_EQ(
      error_of("keys: [{access_key_id: a, secret: x}, {access_key_id: a, secret: y}]"),
      "test.yaml: auth.keys[1].access_key_id: 'a' appears twice");
  EXPECT_EQ(error_of("keys: [{access_key_id: a, secret_env: NOPE}]"),
            "test.yaml: auth.keys[0].secret_env: variable NOPE is not set");
  EXPECT_EQ(error_of("keys: [{access_key_id: a, secret_file: /nonexistent/s}]"),
            "test.yaml: auth.keys[0].secret_file: cannot read '/nonexistent/s'");
  EXPECT_EQ(error_of("keys: [{access_key_id: a, secret: x, colour: red}]"),
            "test.yaml: auth.keys[0].colour: unknown key");
  EXPECT_EQ(error_of("allow_unauthenticated: maybe"),
            "test.yaml: auth.allow_unauthenticated: must be true or false, got 'maybe'");
}

TEST(AuthConfig, PermissionsDefaultToEverythingAndAreGlobLists) {
  AuthConfig a = parse(R"(
keys:
  - {access_key_id: all, secret: s}
  - {access_key_id: ro, secret: s, actions: [GetItem, "Describe*"], tables: ["app_*"]}
)");
  EXPECT_EQ(a.key("all")->actions, std::vector<std::string>{"*"});
  EXPECT_EQ(a.key("all")->tables, std::vector<std::string>{"*"});
  EXPECT_EQ(a.key("ro")->actions, (std::vector<std::string>{"GetItem", "Describe*"}));
  EXPECT_EQ(a.key("ro")->tables, std::vector<std::string>{"app_*"});
  EXPECT_EQ(error_of("keys: [{access_key_id: a, secret: s, actions: []}]"),
            "test.yaml: auth.keys[0].actions: must be a non-empty list");
  EXPECT_EQ(error_of("keys: [{access_key_id: a, secret: s, tables: app_*}]"),
            "test.yaml: auth.keys[0].tables: must be a non-empty list");
}

TEST(AuthConfig, RatePerKeyIsOptional) {
  AuthConfig a = parse(R"(
keys:
  - {access_key_id: all, secret: s}
  - {access_key_id: slow, secret: s, max_requests_per_second: 5}
)");
  EXPECT_EQ(a.key("all")->max_requests_per_second, 0u);
  EXPECT_EQ(a.key("slow")->max_requests_per_second, 5u);
  EXPECT_NE(error_of("keys: [{access_key_id: a, secret: s, max_requests_per_second: -1}]")
                .find("test.yaml: auth.keys[0].max_requests_per_second: "),
            std::string::npos);
}

}  // namespace
}  // namespace jormun::config
