# Run by `cmake --install` (packaging/CMakeLists.txt sets the JORMUN_*
# variables): what the install needs beyond copying targets.

# The configs. For the prefix /usr they belong in /etc, not /usr/etc (as
# GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR has it); this is decided at
# install time because `cmake --install --prefix` and CPack choose the
# prefix then.
if(CMAKE_INSTALL_PREFIX MATCHES "^/usr/?$")
  set(etc /etc)
else()
  set(etc "${CMAKE_INSTALL_PREFIX}/${JORMUN_SYSCONFDIR}")
endif()
file(INSTALL "${JORMUN_SOURCE_DIR}/config/" DESTINATION "${etc}/jormun"
  FILES_MATCHING PATTERN "*.yaml")

# bin/jormundb and bin/jormun-engine-check link to the programs next to the
# plugins (the server finds the plugins next to its resolved binary).
foreach(program jormundb jormun-engine-check)
  file(RELATIVE_PATH target "/${JORMUN_BINDIR}" "/${JORMUN_INSTALL_DIR}/${program}")
  set(bin "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${JORMUN_BINDIR}")
  file(MAKE_DIRECTORY "${bin}")
  file(CREATE_LINK "${target}" "${bin}/${program}" SYMBOLIC)
  message(STATUS "Installing: ${bin}/${program} -> ${target}")
endforeach()

# The systemd unit, with this install's paths.
file(READ "${JORMUN_SOURCE_DIR}/packaging/jormundb.service.in" unit)
string(REPLACE "@BINDIR@" "${CMAKE_INSTALL_PREFIX}/${JORMUN_BINDIR}" unit "${unit}")
string(REPLACE "@SYSCONFDIR@" "${etc}" unit "${unit}")
# One folder per destination: installs to several prefixes may run at once.
string(MD5 destination "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(staged "${JORMUN_BINARY_DIR}/unit-${destination}/jormundb.service")
file(WRITE "${staged}" "${unit}")
file(INSTALL "${staged}"
  DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
