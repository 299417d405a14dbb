#include "storage/engine_registry.h"

#include <filesystem>
#include <stdexcept>

namespace jormun::storage {

EngineRegistry::EngineRegistry(const config::Config& config, const std::string& plugin_dir)
    : plugin_dir_(plugin_dir) {
  for (const auto& engine : config.engines) {
    try {
      library(engine.plugin);
    } catch (const std::exception& e) {
      throw config::ConfigError("engine '" + engine.name + "': " + e.what());
    }
  }
}

std::string EngineRegistry::plugin_path(const std::string& plugin,
                                        const std::string& plugin_dir) {
  if (plugin.find('/') != std::string::npos) return plugin;
  return (std::filesystem::path(plugin_dir) / ("jormun_" + plugin + ".so")).string();
}

std::shared_ptr<host::Library> EngineRegistry::library(const std::string& plugin) {
  std::lock_guard lock(mu_);
  auto& lib = libraries_[plugin];
  if (!lib) lib = host::Library::load(plugin_path(plugin, plugin_dir_));
  return lib;
}

}  // namespace jormun::storage
