#include "config/yaml_fields.h"

#include <charconv>

#include "config/config.h"

namespace jormun::config {

[[noreturn]] void fail(const std::string& source, const std::string& key,
                       const std::string& what) {
  throw ConfigError(source + ": " + key + ": " + what);
}

void check_keys(const YAML::Node& node, const std::set<std::string>& allowed,
                const std::string& source, const std::string& prefix) {
  if (!node.IsMap()) fail(source, prefix, "must be a mapping");
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) fail(source, prefix + "." + key, "unknown key");
  }
}

std::string scalar(const YAML::Node& n, const std::string& source,
                   const std::string& key) {
  if (!n.IsScalar()) fail(source, key, "must be a scalar value");
  return n.as<std::string>();
}

unsigned long long number(std::string_view text, unsigned long long max,
                          const std::string& source, const std::string& key) {
  unsigned long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v > max)
    fail(source, key,
         "must be a whole number from 0 to " + std::to_string(max) + ", got '" +
             std::string(text) + "'");
  return v;
}

bool boolean(std::string_view text, const std::string& source, const std::string& key) {
  if (text == "true") return true;
  if (text == "false") return false;
  fail(source, key, "must be true or false, got '" + std::string(text) + "'");
}

}  // namespace jormun::config
