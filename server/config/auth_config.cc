#include "config/auth_config.h"

#include <fstream>
#include <vector>

#include "config/yaml_fields.h"

namespace jormun::config {
namespace {

std::string read_secret(const YAML::Node& k, const std::string& src,
                        const std::string& key, const char* (*lookup)(const char*)) {
  const int sources =
      (k["secret"] ? 1 : 0) + (k["secret_file"] ? 1 : 0) + (k["secret_env"] ? 1 : 0);
  if (sources != 1)
    fail(src, key, "needs exactly one of 'secret', 'secret_file' or 'secret_env'");
  std::string secret;
  if (k["secret"]) {
    secret = scalar(k["secret"], src, key + ".secret");
  } else if (k["secret_file"]) {
    const std::string path = scalar(k["secret_file"], src, key + ".secret_file");
    std::ifstream in(path);
    if (!in) fail(src, key + ".secret_file", "cannot read '" + path + "'");
    std::getline(in, secret);
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  } else {
    const std::string name = scalar(k["secret_env"], src, key + ".secret_env");
    const char* value = lookup(name.c_str());
    if (value == nullptr)
      fail(src, key + ".secret_env", "variable " + name + " is not set");
    secret = value;
  }
  if (secret.empty()) fail(src, key, "the secret is empty");
  return secret;
}

std::vector<std::string> globs(const YAML::Node& n, const std::string& src,
                               const std::string& key) {
  if (!n.IsSequence() || n.size() == 0) fail(src, key, "must be a non-empty list");
  std::vector<std::string> out;
  for (size_t i = 0; i < n.size(); ++i)
    out.push_back(scalar(n[i], src, key + "[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace

const AccessKey* AuthConfig::key(std::string_view id) const {
  for (const AccessKey& k : keys)
    if (k.id == id) return &k;
  return nullptr;
}

AuthConfig parse_auth(const YAML::Node& a, const std::string& src,
                      const char* (*lookup)(const char*)) {
  check_keys(a, {"mode", "allow_unauthenticated", "keys"}, src, "auth");
  AuthConfig auth;
  if (a["mode"]) {
    const std::string mode = scalar(a["mode"], src, "auth.mode");
    if (mode == "sigv4")
      auth.mode = AuthMode::kSigV4;
    else if (mode != "none")
      fail(src, "auth.mode", "must be none or sigv4, got '" + mode + "'");
  }
  if (a["allow_unauthenticated"])
    auth.allow_unauthenticated =
        boolean(scalar(a["allow_unauthenticated"], src, "auth.allow_unauthenticated"),
                src, "auth.allow_unauthenticated");
  if (const YAML::Node& keys = a["keys"]; keys && !keys.IsNull()) {
    if (!keys.IsSequence()) fail(src, "auth.keys", "must be a list");
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::string key = "auth.keys[" + std::to_string(i) + "]";
      check_keys(
          keys[i],
          {"access_key_id", "secret", "secret_file", "secret_env", "actions", "tables",
           "max_requests_per_second"},
          src, key);
      if (!keys[i]["access_key_id"]) fail(src, key + ".access_key_id", "is required");
      AccessKey k;
      k.id = scalar(keys[i]["access_key_id"], src, key + ".access_key_id");
      if (k.id.empty() || k.id.find('/') != std::string::npos)
        fail(src, key + ".access_key_id", "must be non-empty and without '/'");
      if (auth.key(k.id))
        fail(src, key + ".access_key_id", "'" + k.id + "' appears twice");
      k.secret = read_secret(keys[i], src, key, lookup);
      if (keys[i]["actions"])
        k.actions = globs(keys[i]["actions"], src, key + ".actions");
      if (keys[i]["tables"]) k.tables = globs(keys[i]["tables"], src, key + ".tables");
      if (keys[i]["max_requests_per_second"]) {
        const std::string rate = key + ".max_requests_per_second";
        const std::string text = scalar(keys[i]["max_requests_per_second"], src, rate);
        k.max_requests_per_second =
            static_cast<unsigned>(number(text, 1000000, src, rate));
      }
      auth.keys.push_back(std::move(k));
    }
  }
  if (auth.mode == AuthMode::kSigV4 && auth.keys.empty())
    fail(src, "auth.keys", "mode sigv4 needs at least one key");
  return auth;
}

}  // namespace jormun::config
