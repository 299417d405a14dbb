# Fails unless the plugin PLUGIN exports exactly one defined dynamic symbol,
# jormun_engine_entry. Usage:
#   cmake -DNM=nm -DPLUGIN=path/to/jormun_x.so -P check_exports.cmake
execute_process(COMMAND ${NM} -D --defined-only ${PLUGIN}
  OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${PLUGIN}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${listing}")
set(symbols "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^.* " "" symbol "${line}")
  list(APPEND symbols "${symbol}")
endforeach()
if(NOT symbols STREQUAL "jormun_engine_entry")
  message(FATAL_ERROR
    "${PLUGIN} must export only jormun_engine_entry; it exports: ${symbols}")
endif()
message(STATUS "${PLUGIN} exports only jormun_engine_entry")
