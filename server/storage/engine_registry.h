// Loads the engine plugins named in the configuration and opens instances.
//
// Every configured engine's plugin is loaded at start-up, and its options
// are tried on a throwaway instance, so a plugin that does not load or an
// option its engine refuses stops the server before it serves anything
// (rather than failing every CreateTable later). Thread-safe after
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
  // or the validation failure, or naming engines.<name>.options.<key> (or
  // engines.<name>.options when no single option is to blame) with the
  // engine's message when the engine refuses its options. Throws
  // std::runtime_error when no temporary directory can be made for the try.
  EngineRegistry(const config::Config& config, const std::string& plugin_dir);

  // The plugin path a `plugin:` value resolves to.
  static std::string plugin_path(const std::string& plugin,
                                 const std::string& plugin_dir);

  // Loads (once) and returns the library at `plugin` (name or path).
  std::shared_ptr<host::Library> library(const std::string& plugin);

 private:
  std::string plugin_dir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<host::Library>> libraries_;
};

}  // namespace jormun::storage
