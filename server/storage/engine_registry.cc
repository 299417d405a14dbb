#include "storage/engine_registry.h"

#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "common/log.h"
#include "storage/engine_services.h"

namespace jormun::storage {
namespace {

namespace fs = std::filesystem;
using Options = std::vector<std::pair<std::string, std::string>>;

// The engine's error when it refuses `options`: from its check_options, or,
// for a plugin without one, from opening and closing an instance in a fresh
// temporary directory, removed afterwards.
std::optional<host::EngineError> refusal_of(const std::shared_ptr<host::Library>& lib,
                                            const Options& options) {
  if (lib->checks_options()) {
    try {
      lib->check_options(options);
      return std::nullopt;
    } catch (const host::EngineError& e) {
      return e;
    }
  }
  std::string dir = (fs::temp_directory_path() / "jormun-options-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr)
    throw std::runtime_error(
        "cannot create a temporary directory to check engine "
        "options in " +
        fs::temp_directory_path().string());
  std::optional<host::EngineError> refusal;
  try {
    host::Instance::open(lib, dir, options, engine_services());
  } catch (const host::EngineError& e) {
    refusal = e;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return refusal;
}

// Engines check their options only when an instance opens, which for a
// table is at CreateTable: try them once now instead.
void check_options(const config::EngineConfig& engine,
                   const std::shared_ptr<host::Library>& lib) {
  std::optional<host::EngineError> refusal = refusal_of(lib, engine.options);
  if (!refusal) return;
  std::string key = "engines." + engine.name + ".options";
  // The engine's message names the option, but the operator needs its place
  // in the file: find the first option the engine refuses on its own.
  if (refusal->status() == JORMUN_INVALID_ARGUMENT) {
    for (const auto& option : engine.options) {
      std::optional<host::EngineError> alone = refusal_of(lib, {option});
      if (alone && alone->status() == JORMUN_INVALID_ARGUMENT)
        throw config::ConfigError(key + "." + option.first + ": " + alone->what());
    }
  }
  throw config::ConfigError(key + ": " + refusal->what());
}

}  // namespace

EngineRegistry::EngineRegistry(const config::Config& config,
                               const std::string& plugin_dir)
    : plugin_dir_(plugin_dir) {
  for (const auto& engine : config.engines) {
    std::shared_ptr<host::Library> lib;
    try {
      lib = library(engine.plugin);
    } catch (const std::exception& e) {
      throw config::ConfigError("engine '" + engine.name + "': " + e.what());
    }
    check_options(engine, lib);
    log::info("engine " + engine.name + ": " + std::string(lib->name()) + " " +
              std::string(lib->version()) + " from " +
              plugin_path(engine.plugin, plugin_dir_) +
              (engine.durable ? ", durable" : ""));
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
