# What `cmake --install` and the Debian packages put in place. Two components:
#   cli -> package `migrator`: the binary, migrator(1), shell completion, the docs;
#   dev -> package `libmigrator-dev`: the headers, the static library and the CMake package files.
include(CMakePackageConfigHelpers)

set(MIGRATOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/migrator)

install(TARGETS migrator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)
install(FILES README.md LICENSE migrator.yaml.example DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/migrator RENAME copyright COMPONENT cli)

# migrator(1), written from --help at build time.
find_program(HELP2MAN_PROGRAM help2man REQUIRED)
set(MIGRATOR_MAN_PAGE ${PROJECT_BINARY_DIR}/man/migrator.1)
add_custom_command(
  OUTPUT ${MIGRATOR_MAN_PAGE} ${MIGRATOR_MAN_PAGE}.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
  COMMAND ${CMAKE_COMMAND} -D BINARY=$<TARGET_FILE:migrator> -D OUTPUT=${MIGRATOR_MAN_PAGE}
          -D VERSION=${PROJECT_VERSION} -D HELP2MAN=${HELP2MAN_PROGRAM} -P ${PROJECT_SOURCE_DIR}/cmake/MigratorManPage.cmake
  DEPENDS migrator ${PROJECT_SOURCE_DIR}/cmake/MigratorManPage.cmake
  COMMENT "Writing migrator(1) from --help"
  VERBATIM)
add_custom_target(migrator_man ALL DEPENDS ${MIGRATOR_MAN_PAGE})
install(FILES ${MIGRATOR_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)

# Shell completion, in the directories each shell reads packages' completions from.
install(FILES completions/migrator.bash DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
        RENAME migrator COMPONENT cli)
install(FILES completions/_migrator DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions COMPONENT cli)
install(FILES completions/migrator.fish DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d
        COMPONENT cli)

# find_package(migrator CONFIG) -> migrator::migrator.
install(TARGETS migrator_core migrator_schema EXPORT migratorTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
# CMake strips no archive; like Debian's dh_strip, a stripped install (--strip, and CPack) drops the
# library's debug sections and keeps its symbols.
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
                            \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:migrator_core>\"
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()" COMPONENT dev)
install(EXPORT migratorTargets NAMESPACE migrator:: DESTINATION ${MIGRATOR_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/migratorConfig.cmake.in ${PROJECT_BINARY_DIR}/migratorConfig.cmake
                              INSTALL_DESTINATION ${MIGRATOR_CMAKE_DIR})
# 0.x: a minor release may change the API, so 0.2 accepts 0.2.* only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/migratorConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/migratorConfig.cmake ${PROJECT_BINARY_DIR}/migratorConfigVersion.cmake
              cmake/FindSOCI.cmake cmake/FindPgQuery.cmake cmake/MigratorEmbed.cmake
              cmake/MigratorEmbedGenerate.cmake
        DESTINATION ${MIGRATOR_CMAKE_DIR} COMPONENT dev)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/libmigrator-dev RENAME copyright COMPONENT dev)

# Debian packages: `cpack -G DEB` in the build directory.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME migrator)
set(CPACK_PACKAGE_VENDOR "The migrator authors")
set(CPACK_PACKAGE_CONTACT "The migrator authors <dev@migrator.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL cli dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_CLI_PACKAGE_NAME migrator)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION database)
set(CPACK_COMPONENT_CLI_DESCRIPTION "${PROJECT_DESCRIPTION}
 One binary that applies ordered SQL migration scripts to SQLite, PostgreSQL and MySQL/MariaDB
 databases, with Alembic's revision graph and target grammar.")
# SOCI opens the PostgreSQL and MySQL backends by name at run time, which shlibdeps cannot see.
set(CPACK_DEBIAN_CLI_PACKAGE_RECOMMENDS "libsoci-postgresql4.0, libsoci-mysql4.0")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmigrator-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DESCRIPTION "${PROJECT_DESCRIPTION} (development files)
 The headers, the static library and the CMake package: find_package(migrator CONFIG) gives
 migrator::migrator.")
# What migratorConfig.cmake finds and the static library links.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libfmt-dev, libyaml-cpp-dev, libsqlite3-dev, nettle-dev, libsoci-dev, libpg-query-dev, libhowardhinnant-date-dev")
include(CPack)
