# find_package(Jormun): the plugin SDK of an installed JormunDB.
#   Jormun::plugin_api    the ABI headers (engine.h, plugin.hpp, engine.hpp,
#                         write_group.hpp); asks for C++20
#   Jormun::engine_check  jormun-engine-check, the engine test kit
#   jormun_add_engine(<target> <sources>...)          builds a plugin
#   jormun_add_engine_tests(<target> <name> [OPTION_SETS "k=v" ...])
#                         registers its kit and export tests with CTest
# See <prefix>/share/doc/jormundb/plugin-api.md.
include(${CMAKE_CURRENT_LIST_DIR}/JormunTargets.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/JormunPlugin.cmake)
