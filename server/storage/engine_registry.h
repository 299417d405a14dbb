// Loads the engine plugins named in the configuration and opens instances.
//
// Every configured engine's plugin is loaded at start-up, so a plugin that
// does not load stops the server before it serves anything. Thread-safe after
// construction.
#pragma once

#include <jormun/engine.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"

namespace jormun::storage {

class EngineRegistry {
 public:
  // Throws config::ConfigError naming the engine and carrying dlerror() text
  // or the validation failure.
  EngineRegistry(const config::Config& config, const std::string& plugin_dir);

  // The plugin path a `plugin:` value resolves to.
  static std::string plugin_path(const std::string& plugin, const std::string& plugin_dir);

  // Loads (once) and returns the library at `plugin` (name or path).
  std::shared_ptr<host::Library> library(const std::string& plugin);

 private:
  std::string plugin_dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<host::Library>> libraries_;
};

}  // namespace jormun::storage
