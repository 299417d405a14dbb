// jormun-engine-check PLUGIN.so [--dir SCRATCH_DIR] [--option key=value ...]
//                     [--only NAME_PREFIX]
// jormun-engine-check --help
//
// Loads an engine plugin and checks the ABI contract, one line per check
// (PASS name / FAIL name: why / SKIP name: why), then "N passed, N failed".
// Exit status 0 only when every check passed. The scratch directory is
// removed after a clean run and kept (and named) after a failure. --only
// runs just the checks whose names start with NAME_PREFIX ("concurrency:"
// for the ThreadSanitizer run of `make tsan-test`).
#include <stdlib.h>

#include <cstring>
#include <iostream>

#include "crash_layout.h"
#include "kit.h"

namespace {

using jormun::check::Options;

const char* const kHelp =
    "NAME\n"
    "    jormun-engine-check - check a JormunDB engine plugin against the ABI\n"
    "\n"
    "SYNOPSIS\n"
    "    jormun-engine-check PLUGIN.so [--dir SCRATCH_DIR] [--option key=value ...]\n"
    "                        [--only NAME_PREFIX]\n"
    "    jormun-engine-check --help\n"
    "\n"
    "DESCRIPTION\n"
    "    Loads the plugin as jormundb does and runs every check of the engine\n"
    "    contract (version, exports, keyspaces, point operations, long keys,\n"
    "    order, batches, crash atomicity, snapshots, checkpoints, concurrency,\n"
    "    error paths, preconditions, joint writes), printing one line per check: PASS name, FAIL name: why,\n"
    "    or SKIP name: why (a capability the engine does not claim); then\n"
    "    \"N passed, N failed\". A run takes seconds.\n"
    "\n"
    "OPTIONS\n"
    "    --dir SCRATCH_DIR\n"
    "        Where the scratch directory is made (default: the system temp\n"
    "        directory). It is removed after a clean run, kept after a failure.\n"
    "    --option key=value\n"
    "        An engine option passed to every open; repeatable. Options the\n"
    "        engine refuses stop the run before any check.\n"
    "    --only NAME_PREFIX\n"
    "        Run only the checks whose names start with NAME_PREFIX.\n"
    "    -h, --help\n"
    "        Print this text and exit.\n"
    "\n"
    "EXIT STATUS\n"
    "    0   every check passed\n"
    "    1   a check failed, or the plugin did not load\n"
    "    2   bad arguments, or options the engine refused\n"
    "\n"
    "SEE ALSO\n"
    "    plugin-api.md in /usr/share/doc/jormundb (plugin-api/README.md in the\n"
    "    source tree), which says what every check checks.\n";

int usage(const char* argv0) {
  std::cerr << "usage: " << argv0
            << " PLUGIN.so [--dir SCRATCH_DIR] [--option key=value ...]"
               " [--only NAME_PREFIX]\n";
  return 2;
}

// The engine's refusal of `options`, or "" when it takes them: from its
// check_options, or, for an engine without one, from opening an instance in
// `scratch`.
std::string option_refusal(const std::shared_ptr<jormun::host::Library>& library,
                           const Options& options,
                           const std::filesystem::path& scratch) {
  if (options.empty()) return "";
  try {
    if (library->checks_options()) {
      library->check_options(options);
    } else {
      const auto dir = scratch / "options";
      std::filesystem::create_directories(dir);
      jormun::host::Instance::open(library, dir.string(), options);
      std::filesystem::remove_all(dir);
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], jormun::check::kCrashWriterFlag) == 0)
    return jormun::check::crash_writer_main(argc, argv);

  std::string plugin;
  std::filesystem::path parent = std::filesystem::temp_directory_path();
  Options options;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kHelp;
      return 0;
    }
    if (arg == "--dir" && i + 1 < argc) {
      parent = argv[++i];
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--option" && i + 1 < argc) {
      if (!jormun::check::parse_option(argv[++i], options)) return usage(argv[0]);
    } else if (plugin.empty() && !arg.starts_with("--")) {
      plugin = arg;
    } else {
      return usage(argv[0]);
    }
  }
  if (plugin.empty()) return usage(argv[0]);
  // dlopen searches the library path for a name without a slash; the user
  // means the file.
  if (std::filesystem::exists(plugin)) plugin = std::filesystem::absolute(plugin);

  std::shared_ptr<jormun::host::Library> library;
  try {
    library = jormun::host::Library::load(plugin);
  } catch (const std::exception& e) {
    std::cout << "FAIL load: " << e.what() << "\n0 passed, 1 failed" << std::endl;
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  std::string pattern = (parent / "jormun-engine-check-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "cannot create a scratch directory under " << parent << "\n";
    return 2;
  }
  std::filesystem::path scratch = pattern;
  // A misspelt --option would otherwise fail every check that opens an
  // instance, each with the same message: refuse it once, before any.
  if (std::string refusal = option_refusal(library, options, scratch); !refusal.empty()) {
    std::cerr << argv[0] << ": --option: " << refusal << "\n";
    std::filesystem::remove_all(scratch, ec);
    return 2;
  }
  std::cout << "engine " << library->name() << " " << library->version() << ", scratch "
            << scratch.string() << std::endl;

  jormun::check::Kit kit(plugin, library, scratch, options);
  jormun::check::Checks checks;
  jormun::check::add_version_checks(checks);
  jormun::check::add_export_checks(checks);
  jormun::check::add_keyspace_checks(checks);
  jormun::check::add_point_checks(checks);
  jormun::check::add_order_checks(checks);
  jormun::check::add_long_key_checks(checks);
  jormun::check::add_batch_checks(checks);
  jormun::check::add_crash_checks(checks);
  jormun::check::add_snapshot_checks(checks);
  jormun::check::add_concurrency_checks(checks);
  jormun::check::add_error_checks(checks);
  jormun::check::add_precondition_checks(checks);
  jormun::check::add_joint_checks(checks);

  int passed = 0, failed = 0, selected = 0;
  for (const auto& check : checks) {
    if (!check.name.starts_with(only)) continue;
    ++selected;
    if (check.needs != 0 && !kit.has(check.needs)) {
      std::cout << "SKIP " << check.name << ": engine lacks the capability" << std::endl;
      continue;
    }
    try {
      check.run(kit);
      std::cout << "PASS " << check.name << std::endl;
      ++passed;
    } catch (const std::exception& e) {
      std::cout << "FAIL " << check.name << ": " << e.what() << std::endl;
      ++failed;
    }
  }
  // A misspelt --only must not pass by running nothing.
  if (selected == 0) {
    std::cout << "FAIL --only: no check's name starts with '" << only << "'" << std::endl;
    ++failed;
  }
  if (failed == 0)
    std::filesystem::remove_all(scratch, ec);
  else
    std::cout << "scratch kept in " << scratch.string() << std::endl;
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed == 0 ? 0 : 1;
}
