# jormun_add_engine() and jormun_add_engine_tests(): how an engine plugin is
# built and checked. One file for both uses: plugin-api/CMakeLists.txt
# includes it in this repository, and `cmake --install` puts it, next to
# engine.map and check_exports.cmake, into <prefix>/lib/cmake/Jormun/, where
# find_package(Jormun) includes it for third-party engines. Either way the
# caller provides the targets Jormun::plugin_api (the headers) and
# Jormun::engine_check (the test kit).
include_guard(GLOBAL)

# engine.map and check_exports.cmake sit next to this file, in the tree and
# installed alike.
set(JORMUN_PLUGIN_API_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL
  "folder of engine.map and check_exports.cmake")

# Builds a plugin the way a third party should: a MODULE library with hidden
# visibility, named jormun_<name>.so, exporting only the entry point.
function(jormun_add_engine target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE Jormun::plugin_api)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE -Wl,--exclude-libs,ALL -Wl,--no-undefined
    -Wl,--version-script=${JORMUN_PLUGIN_API_DIR}/engine.map)
  set_property(TARGET ${target} APPEND PROPERTY
    LINK_DEPENDS ${JORMUN_PLUGIN_API_DIR}/engine.map)
endfunction()

# Registers an engine's contract tests: engine_check_<name> runs the kit
# against the plugin with its default options, engine_exports_<name> checks
# that the plugin exports exactly the entry point. Each OPTION_SETS entry
# ("key=value", several separated by spaces) adds a kit run with those
# options, engine_check_<name>(<entry>): options change code paths (growth,
# flush modes, one shard or many) that the defaults never reach. Call it
# after jormun_add_engine(<target> ...), and after enable_testing().
function(jormun_add_engine_tests target name)
  cmake_parse_arguments(PARSE_ARGV 2 ARG "" "" "OPTION_SETS")
  set(check $<TARGET_FILE:Jormun::engine_check>)
  add_test(NAME engine_check_${name} COMMAND ${check} $<TARGET_FILE:${target}>)
  foreach(set IN LISTS ARG_OPTION_SETS)
    separate_arguments(options UNIX_COMMAND "${set}")
    set(args)
    foreach(option IN LISTS options)
      list(APPEND args --option ${option})
    endforeach()
    add_test(NAME "engine_check_${name}(${set})"
      COMMAND ${check} $<TARGET_FILE:${target}> ${args})
  endforeach()
  # A misspelt option is refused once, before any check runs.
  add_test(NAME engine_check_${name}_refuses_unknown_option
    COMMAND ${check} $<TARGET_FILE:${target}> --option no_such_option=1)
  set_tests_properties(engine_check_${name}_refuses_unknown_option PROPERTIES
    PASS_REGULAR_EXPRESSION "--option: .*no_such_option" FAIL_REGULAR_EXPRESSION "PASS ")
  add_test(NAME engine_exports_${name}
    COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DPLUGIN=$<TARGET_FILE:${target}>
            -P ${JORMUN_PLUGIN_API_DIR}/check_exports.cmake)
endfunction()
