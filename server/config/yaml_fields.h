// Reading jormun.yaml's fields with errors that name the key, shared by the
// parsers of its sections.
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <string_view>

namespace jormun::config {

// Throws ConfigError "<source>: <key>: <what>".
[[noreturn]] void fail(const std::string& source, const std::string& key,
                       const std::string& what);

// Rejects keys of `node` outside `allowed`, so a typo is an error, not a
// silently ignored setting.
void check_keys(const YAML::Node& node, const std::set<std::string>& allowed,
                const std::string& source, const std::string& prefix);

std::string scalar(const YAML::Node& n, const std::string& source,
                   const std::string& key);

unsigned long long number(std::string_view text, unsigned long long max,
                          const std::string& source, const std::string& key);

bool boolean(std::string_view text, const std::string& source, const std::string& key);

}  // namespace jormun::config
