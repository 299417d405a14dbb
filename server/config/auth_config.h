// The `auth:` section of jormun.yaml: whether requests must be signed, and
// the access keys that may sign them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace jormun::config {

// One access key pair. The secret is never logged or put in a message.
struct AccessKey {
  std::string id;
  std::string secret;
  // What the key may do: fnmatch(3) globs of operation names ("GetItem",
  // "Get*", "*"; a "dynamodb:" prefix is allowed) and of the table names its
  // requests may touch. Both default to everything.
  std::vector<std::string> actions{"*"};
  std::vector<std::string> tables{"*"};
  // Requests a second the key may make, in bursts of up to as many (a token
  // bucket); more are answered ThrottlingException. 0: no limit.
  unsigned max_requests_per_second = 0;
};

enum class AuthMode {
  kNone,   // any well-formed SigV4 header is accepted, whoever signed it
  kSigV4,  // the signature is verified against `keys`
};

struct AuthConfig {
  AuthMode mode = AuthMode::kNone;
  // Listening on an address other than loopback with mode none stops
  // start-up unless this says it is meant.
  bool allow_unauthenticated = false;
  std::vector<AccessKey> keys;

  // The key with this access key id, or null.
  const AccessKey* key(std::string_view id) const;
};

// Parses `auth:`. A key's secret comes from exactly one of `secret`,
// `secret_file` (the file's first line) or `secret_env` (an environment
// variable, read through `lookup`). Throws ConfigError naming the key.
AuthConfig parse_auth(const YAML::Node& node, const std::string& source,
                      const char* (*lookup)(const char*));

}  // namespace jormun::config
